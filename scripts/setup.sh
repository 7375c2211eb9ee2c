#!/bin/sh
# Sets Dossier up on a Debian 12 machine and then does one of two things:
#   scripts/setup.sh render   builds and renders examples/tajikistan-lgbt.yaml to out/
#   scripts/setup.sh test     builds with warnings as errors and runs the whole test suite
# It installs only the Debian packages that are missing (apt-get; run as root or with sudo),
# so running it again is cheap and changes nothing.
set -eu

cd "$(dirname "$0")/.."
mode="${1:-render}"

packages="g++ cmake make pkg-config libhpdf-dev libyaml-cpp-dev libicu-dev libcli11-dev catch2
  libhyphen-dev hyphen-en-gb hyphen-en-us qpdf libqpdf-dev poppler-utils"
# The test suite also cross-checks the schemas with Ajv (tests/ajv), which needs node and npm.
# Only when the commands are missing: a node from elsewhere (NodeSource) bundles its own npm,
# which Debian's npm package would conflict with.
if [ "$mode" = test ]; then
    command -v node >/dev/null 2>&1 || packages="$packages nodejs"
    command -v npm >/dev/null 2>&1 || packages="$packages npm"
fi

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -n "$missing" ]; then
    echo "setup: installing Debian packages:$missing" >&2
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2
fi

jobs="$(nproc 2>/dev/null || echo 2)"
case "$mode" in
render)
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DDOSSIER_TESTS=OFF >/dev/null
    cmake --build build -j "$jobs" --target dossier
    mkdir -p out
    ./build/engine/cli/dossier render examples/tajikistan-lgbt.yaml -o out/TJ-2026-014.pdf
    echo "setup: the example report is at $(pwd)/out/TJ-2026-014.pdf"
    ;;
test)
    cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDOSSIER_WERROR=ON \
        -DDOSSIER_TESTS=ON >/dev/null
    cmake --build build-test -j "$jobs"
    ctest --test-dir build-test --output-on-failure -j "$jobs"
    ;;
*)
    echo "usage: scripts/setup.sh render|test" >&2
    exit 2
    ;;
esac
