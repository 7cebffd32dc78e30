#!/usr/bin/env bash
# Shared by check_report.sh and screenshot.sh: makes sure Debian's `chromium` is installed
# (as root, from the Debian archive; nothing is downloaded by hand) and defines
# `headless_chromium ARGS...`, which runs it with no network chatter, no sandbox (containers
# run as root) and a throwaway profile. Source it; do not run it.

ensure_chromium() {
    if command -v chromium >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "stance: chromium is not installed; run: sudo apt-get install chromium" >&2
        return 1
    fi
    echo "stance: installing Debian's chromium (apt-get)" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

headless_chromium() {
    local profile
    profile=$(mktemp -d)
    timeout 180 chromium --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update --disable-sync \
        --no-first-run --no-default-browser-check --hide-scrollbars \
        --user-data-dir="$profile" "$@" 2>>"${CHROMIUM_LOG:-/dev/null}"
    local status=$?
    rm -rf "$profile"
    return $status
}
