#!/usr/bin/env bash
# Builds the Docker task runner tests' image without a registry: a root file system made of
# Debian's busybox-static (sh, sleep, cat…) and the machine's python3 with the libraries it
# links, imported with `docker import`. Usage: docker-test-image.sh IMAGE (DOCKER_HOST set).
set -euo pipefail
image=$1
python=$(readlink -f /usr/bin/python3)
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "busybox-static is not installed (apt-get install busybox-static)" >&2; exit 1; }
[ -x "$python" ] || { echo "Debian's python3 is not installed (/usr/bin/python3)" >&2; exit 1; }
version=$(basename "$python") # python3.11
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/usr/bin" "$rootfs/usr/lib" "$rootfs/tmp" "$rootfs/etc"
chmod 1777 "$rootfs/tmp"
cp "$busybox" "$rootfs/bin/busybox"
for applet in sh cat echo ls sleep id env head wc; do ln -s busybox "$rootfs/bin/$applet"; done
cp "$python" "$rootfs/usr/bin/$version"
ln -s "$version" "$rootfs/usr/bin/python3"
ln -s python3 "$rootfs/usr/bin/python"
for lib in $(ldd "$python" | grep -o '/[^ ]*'); do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
# The standard library without its tests and tools: 27 MB instead of 54.
tar -C /usr/lib --exclude="$version/test" --exclude='__pycache__' --exclude="$version/idlelib" \
  --exclude="$version/tkinter" --exclude="$version/lib2to3" --exclude="$version/ensurepip" \
  --exclude="$version/config-*" -c "$version" | tar -C "$rootfs/usr/lib" -x
echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
tar -C "$rootfs" -c . | docker import --change 'ENV PATH=/usr/bin:/bin' - "$image" >/dev/null
