#!/usr/bin/env bash
# Makes a Pulumi CLI available without reaching the internet, and prints what to put first on PATH.
#
# Order: a `pulumi` already on PATH wins. Otherwise the CLI and the Node.js language host are built once from the
# Go module proxy into a cache outside the repo (PULUMI_DEVIN_CACHE, default ~/.cache/pulumi-devin) and reused.
# `pulumi-resource-pulumi-nodejs` (the dynamic-provider host, a shell script shipped in @pulumi/pulumi) is copied next
# to the CLI, or put on PATH for a system CLI; without it the engine would try to download the "pulumi-nodejs"
# plugin. The script finds @pulumi/pulumi from the Pulumi project's directory, so one copy serves every checkout.
# `pulumi-analyzer-policy` (scripts/pulumi-analyzer-policy, the launcher of Node.js policy packs) goes next to the
# CLI too, or on the printed PATH for a system CLI. The pinned CLI does not run it itself: for `--policy-pack` it asks
# the nodejs language host (RunPlugin, kind "analyzer"), and the v3.68.0 host below has no such method, so it is built
# with scripts/langhost-run-plugin.go, which runs the launcher. A cached host built without it is rebuilt once.
#
# The Pulumi YAML and Go language hosts (`pulumi-language-yaml`, `pulumi-language-go`) are built into the same
# folder, so YAML and Go programs run too; a cache from before they were added gets them (and only them) once. With a
# CLI on PATH, a host missing from PATH is built into that cache folder, which then goes last on the printed PATH.
#
# Why these versions: @pulumi/pulumi 3.248.0 is the last SDK that declares Node 20 support, and pkg/v3 v3.248.0 is
# served by the module proxy, so the CLI and SDK match exactly. pulumi-yaml v1.25.0 is the newest release the proxy
# serves; it is built against the pkg/v3 it pins (v3.206.0), as pkg/v3 v3.248.0 does not compile with it. The Go host,
# like the Node.js one, is its own module the proxy does not serve; sdk/v3 v3.62.0 is the newest served release that
# still has it in-tree. Hosts speak a stable gRPC protocol, so older hosts run under the newer CLI.
set -euo pipefail

PULUMI_VERSION="${PULUMI_DEVIN_CLI_VERSION:-v3.248.0}"
LANGHOST_SDK_VERSION="v3.68.0"
YAML_HOST_VERSION="v1.25.0"
GO_HOST_SDK_VERSION="v3.62.0"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${PULUMI_DEVIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-devin}"
bin="$cache/pulumi-$PULUMI_VERSION-langhost-$LANGHOST_SDK_VERSION/bin"
log() { echo "ensure-pulumi: $*" >&2; }
policy_launcher="$here/scripts/pulumi-analyzer-policy"
run_plugin_src="$here/scripts/langhost-run-plugin.go"

# Copies a file into a directory by rename, and only when it differs: a running copy is never rewritten in place.
install_file() {
  if ! cmp -s "$1" "$2/$(basename "$1")"; then
    cp -f "$1" "$2/.$(basename "$1").$$" && mv -f "$2/.$(basename "$1").$$" "$2/$(basename "$1")"
  fi
}

# One build at a time per cache (test files each run this script when they load, in parallel).
lock() {
  [ -z "${locked:-}" ] || return 0
  locked=1
  mkdir -p "$cache"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$cache/.lock"
    flock 9
  fi
}

nodejs_host_dir="$here/node_modules/@pulumi/pulumi"
nodejs_host="$nodejs_host_dir/pulumi-resource-pulumi-nodejs"
if [ ! -x "$nodejs_host" ]; then
  log "node_modules/@pulumi/pulumi is missing: run 'npm ci' first"
  exit 1
fi

# PULUMI_DEVIN_GO names the Go toolchain to build with; by default `go` on PATH, else /usr/local/go.
GO="${PULUMI_DEVIN_GO-$(command -v go || echo /usr/local/go/bin/go)}"
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local

# The Node.js language host: since 2023 it is its own untagged module, which the module proxy here does not serve
# at any version. The newest sdk/v3 that still contains it in-tree and is served is LANGHOST_SDK_VERSION. The host
# only spawns `node @pulumi/pulumi/cmd/run` and relays gRPC, so the installed SDK's run script does the real work.
# Its sources are copied from the module cache with RunPlugin replaced by scripts/langhost-run-plugin.go.
build_langhost() { # <output file>
  local work="$cache/build-langhost-$LANGHOST_SDK_VERSION" src
  rm -rf "$work"; mkdir -p "$work"; cd "$work"
  "$GO" mod init local/pulumi-langhost-build >/dev/null 2>&1
  "$GO" get "github.com/pulumi/pulumi/sdk/v3@$LANGHOST_SDK_VERSION" >&2
  src="$("$GO" list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")/nodejs/cmd/pulumi-language-nodejs"
  for f in "$src"/*.go; do case "$f" in *_test.go) ;; *) cp "$f" . ;; esac; done
  chmod u+w ./*.go
  sed -i '/^func (host \*nodeLanguageHost) RunPlugin(/,/^}/d' main.go
  if grep -q RunPlugin main.go; then log "could not take RunPlugin out of the language host's main.go"; return 1; fi
  cp "$run_plugin_src" run_plugin.go
  "$GO" mod tidy >&2
  "$GO" build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$LANGHOST_SDK_VERSION" \
    -o "$1" . >&2
}

# Names what the language host is built from: a cached host with another stamp is rebuilt.
langhost_stamp="$LANGHOST_SDK_VERSION $(cat "$run_plugin_src" <(declare -f build_langhost) | sha256sum | cut -c1-16)"

# The YAML language host, from a wrapper module that repeats pkg/v3's clipboard replace (as for the CLI).
build_yaml_host() { # <output file>
  local work="$cache/build-yaml-host-$YAML_HOST_VERSION"
  rm -rf "$work"; mkdir -p "$work"; cd "$work"
  "$GO" mod init local/pulumi-yaml-host-build >/dev/null 2>&1
  "$GO" mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
  "$GO" get "github.com/pulumi/pulumi-yaml@$YAML_HOST_VERSION" >&2
  printf '//go:build tools\npackage tools\nimport _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"\n' > tools.go
  "$GO" mod tidy >&2
  "$GO" build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$YAML_HOST_VERSION" \
    -o "$1" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml >&2
}

# The Go language host: its sources copied from the module cache, built unchanged. It runs `go build` in the program's
# directory, so a program needs a complete go.sum (or GOFLAGS=-mod=mod).
build_go_host() { # <output file>
  local work="$cache/build-go-host-$GO_HOST_SDK_VERSION" src
  rm -rf "$work"; mkdir -p "$work"; cd "$work"
  "$GO" mod init local/pulumi-go-host-build >/dev/null 2>&1
  "$GO" get "github.com/pulumi/pulumi/sdk/v3@$GO_HOST_SDK_VERSION" >&2
  src="$("$GO" list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")/go/pulumi-language-go"
  for f in "$src"/*.go; do case "$f" in *_test.go) ;; *) cp "$f" . ;; esac; done
  chmod u+w ./*.go
  "$GO" mod tidy >&2
  "$GO" build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$GO_HOST_SDK_VERSION" \
    -o "$1" . >&2
}

# Builds a language host into a folder unless it holds one of that version (a stamp next to it says which), under the
# lock. A failure stops the script: the folder it prints must hold every host.
ensure_host() { # <host> <version> <build function> <folder>
  local host="$1" version="$2" build="$3" dir="$4" start
  [ -x "$dir/$host" ] && [ "$(cat "$dir/.$host-version" 2>/dev/null)" = "$version" ] && return 0
  lock
  [ -x "$dir/$host" ] && [ "$(cat "$dir/.$host-version" 2>/dev/null)" = "$version" ] && return 0 # built meanwhile
  if [ -z "$GO" ] || [ ! -x "$GO" ]; then
    log "no Go toolchain to build $host $version: install Go >= 1.25, or the Pulumi CLI, which includes it"
    exit 1
  fi
  log "building $host $version from the Go module proxy into $dir (once, a few minutes)"
  start=$(date +%s)
  mkdir -p "$dir"
  ( "$build" "$dir/.$host.$$" )
  mv -f "$dir/.$host.$$" "$dir/$host"
  echo "$version" > "$dir/.$host-version"
  log "built $host in $(( $(date +%s) - start ))s"
}

ensure_yaml_and_go_hosts() { # <folder>
  ensure_host pulumi-language-yaml "$YAML_HOST_VERSION" build_yaml_host "$1"
  ensure_host pulumi-language-go "$GO_HOST_SDK_VERSION" build_go_host "$1"
}

# A CLI on PATH is used only at the pinned version (or any, with PULUMI_DEVIN_ANY_CLI=1): tests and CI must run the
# CLI they were written against.
if [ -z "${PULUMI_DEVIN_FORCE_BUILD:-}" ] && command -v pulumi >/dev/null 2>&1 \
   && command -v pulumi-language-nodejs >/dev/null 2>&1; then
  found="$(pulumi version 2>/dev/null || true)"
  if [ "$found" = "$PULUMI_VERSION" ] || [ -n "${PULUMI_DEVIN_ANY_CLI:-}" ]; then
    # Last on the PATH: a release's own launcher next to its CLI comes first (its language host needs none).
    mkdir -p "$cache/analyzer-bin"
    install_file "$policy_launcher" "$cache/analyzer-bin"
    more_hosts=""
    for host in pulumi-language-yaml pulumi-language-go; do
      command -v "$host" >/dev/null 2>&1 || more_hosts=":$bin"
    done
    if [ -n "$more_hosts" ]; then ensure_yaml_and_go_hosts "$bin"; fi
    echo "$(dirname "$(command -v pulumi)"):$nodejs_host_dir:$cache/analyzer-bin$more_hosts"
    exit 0
  fi
  log "ignoring the pulumi $found on PATH: this repository pins $PULUMI_VERSION (PULUMI_DEVIN_ANY_CLI=1 accepts any)"
fi

# With a complete cache: rebuild a language host of other sources (programs keep running with the old one if that
# fails; only --policy-pack needs the new one), refresh the two scripts, print the directory and exit.
use_cache() {
  [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] || return 0
  if [ "$(cat "$bin/.langhost-stamp" 2>/dev/null)" != "$langhost_stamp" ]; then
    lock
  fi
  if [ "$(cat "$bin/.langhost-stamp" 2>/dev/null)" != "$langhost_stamp" ]; then
    log "rebuilding the cached Node.js language host with RunPlugin for policy packs (once, about a minute)"
    set +e
    (
      set -e
      [ -x "$GO" ] || { log "no Go toolchain"; exit 1; }
      build_langhost "$bin/.pulumi-language-nodejs.$$"
      mv -f "$bin/.pulumi-language-nodejs.$$" "$bin/pulumi-language-nodejs"
      echo "$langhost_stamp" > "$bin/.langhost-stamp"
    )
    local built=$?
    set -e
    rm -f "$bin/.pulumi-language-nodejs.$$"
    [ "$built" = 0 ] || log "could not rebuild the language host: --policy-pack will fail with 'not supported'"
  fi
  ensure_yaml_and_go_hosts "$bin"
  cp -f "$nodejs_host" "$bin/"
  install_file "$policy_launcher" "$bin"
  echo "$bin"
  exit 0
}
use_cache

if [ -z "$GO" ] || [ ! -x "$GO" ]; then
  cat >&2 <<MSG
ensure-pulumi: no Pulumi CLI found and no Go toolchain to build one.
  Install the Pulumi CLI (https://www.pulumi.com/docs/install/) so that 'pulumi' and 'pulumi-language-nodejs'
  are on PATH, or install Go >= 1.25 so this script can build Pulumi $PULUMI_VERSION from the Go module proxy.
MSG
  exit 1
fi

lock
use_cache # built meanwhile by another run of this script
log "building Pulumi CLI $PULUMI_VERSION from the Go module proxy into $bin (first time only, several minutes)"
start=$(date +%s)
rm -rf "$bin.tmp"; mkdir -p "$bin.tmp"

# The CLI: pkg/v3 carries replace directives, so `go install pkg@v` is refused; build it from a wrapper module
# that repeats the clipboard replace.
work="$cache/build-cli-$PULUMI_VERSION"
rm -rf "$work"; mkdir -p "$work"; cd "$work"
"$GO" mod init local/pulumi-cli-build >/dev/null 2>&1
"$GO" mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
"$GO" get "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" >&2
printf '//go:build tools\npackage tools\nimport _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"\n' > tools.go
"$GO" mod tidy >&2
"$GO" build -trimpath -tags osusergo,grpcnotrace \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
  -o "$bin.tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2

build_langhost "$bin.tmp/pulumi-language-nodejs"
echo "$langhost_stamp" > "$bin.tmp/.langhost-stamp"
ensure_yaml_and_go_hosts "$bin.tmp"
cp -f "$nodejs_host" "$policy_launcher" "$bin.tmp/"
rm -rf "$bin"; mv "$bin.tmp" "$bin"
log "built in $(( $(date +%s) - start ))s"
echo "$bin"
