#!/usr/bin/env bash
# Measures one index against the same articles split by year into shards
# (vnsearch index --shards N): the build's time and peak memory, the size
# on disk, how long a server takes to be ready, its memory, and search
# latency over HTTP with the result cache off. Run from the repository's
# root:
#
#   deploy/measure-shards.sh CORPUS QUERIES WORKDIR [SHARDS...]
#
# for instance, at a million articles:
#
#   vnsearch generate --corpus ../shared/corpus/news.jsonl.gz --n 1000000 --seed 1 --out news-1m.jsonl.gz
#   deploy/measure-shards.sh news-1m.jsonl.gz ../shared/peers/results/real-2/queries.txt ../measure-1m 1 2 4
#
# SHARDS defaults to 1 2 4, BENCH_DURATION (each load level's) to 30s.
# The first ten hits of the first RANKED (300) queries are compared with
# those of the first SHARDS (jq reads them).
# Every index is built first, one at a time under nice, into WORKDIR/idx-N
# (one that is there already is kept, so that a run can resume), then each
# is served and measured alone. It prints one line per index and keeps the
# logs in WORKDIR. Only the server it starts is stopped at the end.
set -euo pipefail

if [ $# -lt 3 ]; then
	sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
fi
corpus=$1 queries=$2 work=$3
shift 3
shards=("$@")
[ ${#shards[@]} -gt 0 ] || shards=(1 2 4)
mkdir -p "$work"
bin="$work/vnsearch"
go build -o "$bin" ./cmd/vnsearch

server=
cleanup() { [ -z "$server" ] || kill "$server" 2>/dev/null || true; }
trap cleanup EXIT

for n in "${shards[@]}"; do
	dir="$work/idx-$n"
	[ -e "$dir/CURRENT" ] && continue
	echo "building $dir ($(uptime))" >&2
	{
		uptime
		nice -n 10 /usr/bin/time -v "$bin" index --shards "$n" --index "$dir" "$corpus"
		uptime
	} >"$work/build-$n.log" 2>&1
done

printf '%-7s %-10s %-9s %-9s %-8s %-12s %-7s %-18s %s\n' shards build peak_rss index_mb ready_s first_search rss_mb "20/s: p50/p99 ms" "max: searches/s, p99 ms"
for n in "${shards[@]}"; do
	dir="$work/idx-$n"
	log="$work/build-$n.log"
	build=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log" 2>/dev/null || true)
	peak=$(awk '/Maximum resident set size/ {printf "%.0fMB", $NF/1024}' "$log" 2>/dev/null || true)
	size=$(du -sm "$dir" | cut -f1)
	port=$((18190 + n))
	started=$(date +%s.%N)
	"$bin" serve --index "$dir" --addr "127.0.0.1:$port" --cache-mb 0 >"$work/serve-$n.out" 2>"$work/serve-$n.log" &
	server=$!
	until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.1; done
	ready=$(echo "$(date +%s.%N) - $started" | bc)
	# The first search reads what the searcher learns at first use.
	first=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/api/search?q=nam+dinh")
	# The first ten hits of the first RANKED queries, with their scores
	# rounded, to compare the rankings of the indexes.
	head -n "${RANKED:-300}" "$queries" | while IFS= read -r q; do
		curl -s --get --data-urlencode "q=$q" --data-urlencode size=10 "http://127.0.0.1:$port/api/search" |
			jq -r '[.hits[] | "\(.id):\(.score * 1e6 | round)"] | join(" ")'
	done >"$work/top10-$n.txt"
	uptime >"$work/bench-$n.txt"
	"$bin" bench --url "http://127.0.0.1:$port" --queries "$queries" --rate 20,max --workers 4 --duration "${BENCH_DURATION:-30s}" >>"$work/bench-$n.txt" 2>&1
	uptime >>"$work/bench-$n.txt"
	rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$server/status")
	kill "$server"
	wait "$server" 2>/dev/null || true
	server=
	at20=$(awk '$1 == "20" {print $8 "/" $10; exit}' "$work/bench-$n.txt")
	atmax=$(awk '$1 == "max" {print $5 ", " $10; exit}' "$work/bench-$n.txt")
	printf '%-7s %-10s %-9s %-9s %-8.2f %-12s %-7s %-18s %s\n' "$n" "$build" "$peak" "$size" "$ready" "${first}s" "$rss" "$at20" "$atmax"
done
first=${shards[0]}
for n in "${shards[@]:1}"; do
	same=$(paste -d '\n' "$work/top10-$first.txt" "$work/top10-$n.txt" | paste - - | awk -F '\t' '$1 == $2' | wc -l)
	echo "top 10 of $n shards as of $first: the same articles and scores for $same of $(wc -l <"$work/top10-$n.txt") queries"
done
