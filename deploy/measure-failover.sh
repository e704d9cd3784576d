#!/usr/bin/env bash
# Measures how long writes stop when the NATS server leading the stream of
# writes dies with SIGKILL: three nats-server processes, two vnsearch nodes,
# one PUT every 20 ms through the first node. Prints the longest time
# without an acknowledged write, and checks that both nodes then hold every
# acknowledged article. Run from the repository's root:
#
#   deploy/measure-failover.sh [WRITES]
#
# It builds vnsearch and nats-server (from the Go module) into a temporary
# directory, which it deletes at the end, with every process it started.
set -euo pipefail

writes=${1:-300}
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/vnsearch" ./cmd/vnsearch
go build -o "$work/nats-server" github.com/nats-io/nats-server/v2

declare -A natspid
routes=nats://127.0.0.1:16221,nats://127.0.0.1:16222,nats://127.0.0.1:16223
for i in 1 2 3; do
	"$work/nats-server" -n "n$i" -a 127.0.0.1 -p "1422$i" -m "1822$i" -js -sd "$work/nats$i" \
		--cluster_name failover --cluster "nats://127.0.0.1:1622$i" --routes "$routes" \
		>"$work/nats$i.log" 2>&1 &
	natspid[$i]=$!
	pids+=($!)
done
urls=nats://127.0.0.1:14221,nats://127.0.0.1:14222,nats://127.0.0.1:14223
token=failover-token
for n in a b; do
	port=$([ "$n" = a ] && echo 18080 || echo 18081)
	VNSEARCH_API_TOKEN=$token "$work/vnsearch" serve --index "$work/$n" --addr "127.0.0.1:$port" \
		--nats "$urls" >"$work/$n.out" 2>"$work/$n.log" &
	pids+=($!)
done
for port in 18080 18081; do
	until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.2; done
done

# The server leading the stream, from the monitoring endpoint.
leader() {
	curl -s "http://127.0.0.1:18221/jsz?accounts=true&streams=true" |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print([s["cluster"]["leader"] for a in d["account_details"] for s in a["stream_detail"] if s["name"]=="vnsearch"][0])'
}
lead=$(leader)
echo "stream leader: $lead"

: >"$work/acks"
for ((i = 0; i < writes; i++)); do
	if [ "$i" -eq $((writes / 3)) ]; then
		kill -9 "${natspid[${lead#n}]}"
		echo "killed $lead at write $i, $(date +%s.%N)"
	fi
	code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $token" \
		-H 'Content-Type: application/json' "http://127.0.0.1:18080/api/articles/f-$i" \
		-d "{\"title\": \"Bản tin thử chuyển đổi số $i\"}")
	echo "$(date +%s.%N) $i $code" >>"$work/acks"
	sleep 0.02
done
python3 - "$work/acks" <<'EOF'
import sys
rows = [l.split() for l in open(sys.argv[1])]
ok = [float(t) for t, _, c in rows if c == "200"]
gaps = [b - a for a, b in zip(ok, ok[1:])]
refused = sum(1 for r in rows if r[2] != "200")
print(f"{len(ok)} writes acknowledged, {refused} refused; longest time without an acknowledged write: {max(gaps):.2f} s")
EOF
acked=$(awk '$3 == 200' "$work/acks" | wc -l)
for port in 18080 18081; do
	until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.2; done
	missing=0
	for i in $(awk '$3 == 200 {print $2}' "$work/acks"); do
		curl -sf -o /dev/null "http://127.0.0.1:$port/api/articles/f-$i" || missing=$((missing + 1))
	done
	echo "node :$port: $missing of $acked acknowledged articles missing"
done
