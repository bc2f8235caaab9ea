#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for tests (Debian's postgresql package).
#   scripts/pg-test.sh start [DIR]   -> prints the connection URL on stdout (last line)
#   scripts/pg-test.sh stop DIR      -> stops the cluster and removes DIR
#   scripts/pg-test.sh available     -> exit 0 when the server binaries are installed
# Listens only on 127.0.0.1 with a random free port; trust auth for the test user; fsync off.
set -euo pipefail

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

# Run a command as an unprivileged user when we are root (initdb and postgres refuse root).
as_pg() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

cmd="${1:-}"
case "$cmd" in
  available)
    pg_bin >/dev/null
    ;;
  start)
    bin="$(pg_bin)" || { echo "PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2; exit 3; }
    dir="${2:-$(mktemp -d /tmp/vaibot-pg.XXXXXX)}"
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
    port="$(free_port)"
    as_pg "$bin/initdb" -D "$dir/data" -U vaibot --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U vaibot vaibot_test >/dev/null
    echo "postgres://vaibot@127.0.0.1:$port/vaibot_test"
    ;;
  stop)
    dir="${2:?usage: pg-test.sh stop DIR}"
    case "$dir" in /tmp/vaibot-pg.*) ;; *) echo "refusing to remove $dir (not a /tmp/vaibot-pg.* dir)" >&2; exit 2;; esac
    bin="$(pg_bin)" || exit 0
    if [ -d "$dir/data" ]; then as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start [DIR] | stop DIR | available" >&2
    exit 2
    ;;
esac
