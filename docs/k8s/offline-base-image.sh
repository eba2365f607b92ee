#!/usr/bin/env bash
# Builds a base image tarball for the poolbench image without any container registry or docker
# daemon: a minimal Debian root file system made by mmdebstrap from this machine's own apt
# sources, plus a Java runtime that jlink cuts from a local JDK 21+ (JAVA_HOME), packed in the
# `docker save` layout that Jib reads as `-Djib.from.image=tar://...` (docs/k8s.md).
#
#   sudo docs/k8s/offline-base-image.sh [OUT.tar]      # default: harness/cli/target/poolbench-base.tar
#
# Needs root (mmdebstrap, and to keep file owners), apt access to Debian packages, python3, and
# JAVA_HOME pointing at a JDK 21 or newer (its jlink). SUITE (default: this machine's Debian
# release, else bookworm) picks the Debian release; JAVA_MODULES replaces the runtime's module list.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(realpath -m "${1:-$here/harness/cli/target/poolbench-base.tar}")"
java_home="${JAVA_HOME:?set JAVA_HOME to a JDK 21 or newer}"
[ -x "$java_home/bin/jlink" ] || { echo "offline-base-image: $java_home/bin/jlink not found: JAVA_HOME must be a JDK (not a JRE)" >&2; exit 2; }
suite="${SUITE:-$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")}"
suite="${suite:-bookworm}"
if ! command -v mmdebstrap >/dev/null 2>&1; then
  (export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq mmdebstrap) \
    || { echo "offline-base-image: could not install mmdebstrap (apt-get install mmdebstrap)" >&2; exit 1; }
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
# this machine's apt sources (deb822 or one-line), so the same mirror as apt-get uses
sources=()
for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
  if [ -s "$f" ]; then sources=("$f"); break; fi
done
echo "offline-base-image: Java runtime from $java_home (jlink) ..." >&2
# Java SE, the JDK modules Netty and the JVM's tools use (jcmd, JFR, management), and no compiler
# or jlink (a JDK without jmods/, as JDK 24+ builds may be, cannot link jdk.jlink anyway)
modules="${JAVA_MODULES:-java.se,jdk.unsupported,jdk.management,jdk.management.agent,jdk.jfr,jdk.zipfs,jdk.net,jdk.naming.dns,jdk.charsets,jdk.localedata,jdk.crypto.cryptoki,jdk.httpserver,jdk.jcmd}"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages \
  --no-header-files --compress=zip-6 --output "$work/java"
"$work/java/bin/java" -version 2>&1 | head -1 >&2

echo "offline-base-image: Debian $suite minbase (ca-certificates, tzdata) ..." >&2
mmdebstrap --quiet --variant=minbase --include=ca-certificates,tzdata \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  "$suite" "$root" "${sources[@]}"
rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/*

mkdir -p "$root/opt/java"
mv "$work/java" "$root/opt/java/openjdk"
echo "offline-base-image: packing $out ..." >&2
mkdir -p "$work/image" "$(dirname "$out")"
tar --numeric-owner --xattrs -C "$root" -cf "$work/image/layer.tar" .
python3 - "$work/image" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
h = hashlib.sha256()
with open(os.path.join(d, "layer.tar"), "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
config = {
    "architecture": "amd64",
    "os": "linux",
    "config": {
        "Env": ["PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "JAVA_HOME=/opt/java/openjdk", "LANG=C.UTF-8"],
        "Cmd": ["java", "-version"],
    },
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + h.hexdigest()]},
    "history": [{"created_by": "poolbench docs/k8s/offline-base-image.sh"}],
}
raw = json.dumps(config, separators=(",", ":")).encode()
name = hashlib.sha256(raw).hexdigest() + ".json"
open(os.path.join(d, name), "wb").write(raw)
json.dump([{"Config": name, "RepoTags": ["poolbench-base:local"], "Layers": ["layer.tar"]}],
          open(os.path.join(d, "manifest.json"), "w"))
PY
# plain member names (no "./": Jib refuses entries that look like paths outside its folder)
(cd "$work/image" && tar -cf "$out" manifest.json "$(ls | grep -E '^[0-9a-f]{64}[.]json$')" layer.tar)
ls -l "$out" >&2
echo "offline-base-image: done; build the image with -Djib.from.image=tar://$out" >&2
