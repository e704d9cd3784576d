# Build a static binary, then run it on a minimal image as a non-root user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/vnsearch ./cmd/vnsearch \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/vnsearch /usr/local/bin/vnsearch
# The index lives on a volume; an empty one is filled with the bundled demo
# articles on first start.
COPY --from=build --chown=65532:65532 /out/data /data
VOLUME /data
ENV VNSEARCH_INDEX=/data/index \
    VNSEARCH_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["/usr/local/bin/vnsearch", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/vnsearch"]
CMD ["serve"]
