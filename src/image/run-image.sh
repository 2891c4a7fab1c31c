#!/usr/bin/env bash
# Runs the service from an image tarball as a container runtime would, without one: the layers
# unpacked into a root filesystem that is mounted read-only (as readOnlyRootFilesystem does), a
# tmpfs at /tmp, the image's own entrypoint, working directory, environment and user (never root),
# in a mount and PID namespace of its own; the host's network, so the test database is reachable.
# Extra environment: NAME=value arguments. Needs root (chroot, mounts).
# Usage: bash src/image/run-image.sh target/incident-comms-image.tar [NAME=value ...]
set -euo pipefail
image=$(realpath "$1")
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs" "$work/image"
tar -xf "$image" -C "$work/image"
python3 - "$work/image" "$rootfs" "$work/run" <<'PY'
import json, os, shlex, subprocess, sys
image, rootfs, run = sys.argv[1:4]
manifest = json.load(open(os.path.join(image, "manifest.json")))[0]
for layer in manifest["Layers"]:
    subprocess.run(["tar", "-xf", os.path.join(image, layer), "-C", rootfs], check=True)
config = json.load(open(os.path.join(image, manifest["Config"])))["config"]
user = config.get("User") or "0"
if user.split(":")[0] in ("", "0", "root"):
    sys.exit("the image runs as root: " + repr(user))
with open(run, "w") as out:
    out.write("USER=%s\n" % shlex.quote(user if ":" in user else user + ":" + user))
    out.write("WORKDIR=%s\n" % shlex.quote(config.get("WorkingDir") or "/"))
    out.write("ENV=(%s)\n" % " ".join(shlex.quote(e) for e in config.get("Env", [])))
    out.write("ENTRYPOINT=(%s)\n" % " ".join(shlex.quote(a) for a in (config.get("Entrypoint") or []) + (config.get("Cmd") or [])))
PY
# shellcheck disable=SC1091
source "$work/run"
{
  echo 'set -euo pipefail'
  printf 'mount --bind %q %q\n' "$rootfs" "$rootfs"
  printf 'mount -o remount,bind,ro %q\n' "$rootfs"
  printf 'mount -t tmpfs -o size=256m,mode=1777 tmpfs %q/tmp\n' "$rootfs"
  printf 'mount -t proc proc %q/proc\n' "$rootfs"
  printf 'exec chroot --userspec=%q %q env -i' "$USER" "$rootfs"
  printf ' %q' "${ENV[@]}" "$@"
  printf ' sh -c %q' 'cd "$0" && exec "$@"'
  printf ' %q' "$WORKDIR"
  printf ' %q' "${ENTRYPOINT[@]}"
  echo
} > "$work/launch.sh"
unshare --mount --pid --fork --kill-child bash "$work/launch.sh"
