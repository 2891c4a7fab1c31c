#!/usr/bin/env bash
# Builds the image's base offline, from Debian packages only: a minimal Debian bookworm with
# OpenJDK 17's headless runtime and the user 185 the service runs as, written as a `docker save`
# tarball that Jib reads with -Dquarkus.jib.base-jvm-image=tar://target/base-image/debian-jre17.tar.
# For machines that reach no container registry (CI here); with a registry, the default base
# (application.properties: quarkus.jib.base-jvm-image) needs none of this. Needs root (debootstrap).
# Usage: bash src/image/base-image.sh [output.tar]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-target/base-image/debian-jre17.tar}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
if [ -s "$out" ]; then
  echo "Base image already built: $out"
  exit 0
fi
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
chroot "$rootfs" groupadd --gid 185 jboss
chroot "$rootfs" useradd --uid 185 --gid 185 --home-dir /deployments --no-create-home --shell /usr/sbin/nologin jboss
mkdir -p "$rootfs/deployments"
chroot "$rootfs" chown 185:185 /deployments
# what a running service never reads: package lists, docs, man pages, the package manager's caches
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* \
  "$rootfs"/usr/share/info/* "$rootfs"/var/log/*
mkdir -p "$(dirname "$out")"
python3 - "$rootfs" "$out" <<'PY'
import hashlib, io, json, os, sys, tarfile, time
rootfs, out = sys.argv[1], sys.argv[2]
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as tar:
    for name in sorted(os.listdir(rootfs)):
        if name in ("proc", "sys", "dev"):
            info = tarfile.TarInfo(name); info.type = tarfile.DIRTYPE; info.mode = 0o755
            tar.addfile(info)
            continue
        tar.add(os.path.join(rootfs, name), arcname=name)
data = layer.getvalue()
diff_id = "sha256:" + hashlib.sha256(data).hexdigest()
config = {
    "architecture": "amd64", "os": "linux",
    "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64", "LANG=C.UTF-8"],
               "User": "185", "WorkingDir": "/deployments"},
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created_by": "src/image/base-image.sh: debootstrap bookworm + openjdk-17-jre-headless"}],
}
config_bytes = json.dumps(config).encode()
config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
manifest = [{"Config": config_name, "RepoTags": ["incident-comms-base:debian-jre17"], "Layers": ["layer/layer.tar"]}]
with tarfile.open(out, mode="w") as image:
    for name, payload in ((config_name, config_bytes), ("layer/layer.tar", data),
                          ("manifest.json", json.dumps(manifest).encode())):
        info = tarfile.TarInfo(name); info.size = len(payload); info.mode = 0o644
        image.addfile(info, io.BytesIO(payload))
print(f"Base image written: {out} ({os.path.getsize(out) // (1 << 20)} MiB)")
PY
