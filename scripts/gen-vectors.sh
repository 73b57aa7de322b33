#!/usr/bin/env bash
# Regenerates vectors/**/*.json from the Go reference: builds and runs each vectors/gen/<area>/
# program in GOPATH mode against Debian's golang.org/x/mod (see DEVELOPERS.md). The generators share
# vectors/gen/internal/vecfile, imported as gosumdb.dev/gen/internal/vecfile through a link in .gopath.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || { echo "gen-vectors: go is not installed (apt-get install golang-go golang-golang-x-mod-dev)" >&2; exit 2; }
gopath="$PWD/.gopath"
mkdir -p "$gopath/src/gosumdb.dev" vectors/gen/bin
ln -sfn ../../../vectors/gen "$gopath/src/gosumdb.dev/gen"
for dir in vectors/gen/*/; do
  area=$(basename "$dir")
  case "$area" in bin | internal) continue ;; esac
  if [ -f "$dir/main.ts" ]; then
    # The go command, not x/mod, is this generator's oracle (it needs git too): see its header.
    node --import tsx "$dir/main.ts" "vectors/$area"
    echo "gen-vectors: $area done"
    continue
  fi
  (cd "$dir" && GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" go build -o "../bin/$area" .)
  "vectors/gen/bin/$area" "vectors/$area"
  echo "gen-vectors: $area done"
done
