#!/usr/bin/env bash
# Builds the base image of the connector's OCI image (docs/decisions/0038) from this machine's own Debian packages:
# a Java runtime made by jlink from the build's JDK (openjdk-17-jdk-headless), the shared libraries it and the
# launcher's native libraries need (found by ldd), a passwd entry for the non-root user, and the data directory
# owned by that user. Nothing is downloaded. Writes a tar in `docker save` layout that Jib takes as `tar://` base.
#
#   build-base-image.sh <java home> <launcher jar> <output directory>
set -euo pipefail

java_home=$1
launcher_jar=$2
out=$3

uid=10001
data_dir=var/lib/kakehashi
# what the connector's libraries use of the JDK: java.desktop for java.beans, jdk.unsupported for Netty and gRPC,
# jdk.crypto.ec and jdk.crypto.cryptoki for TLS, jdk.management for the metrics, jdk.localedata for dates
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,\
java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,\
java.xml.crypto,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.localedata,jdk.management,\
jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

fail() {
  echo "ERROR: the connector image cannot be built on this machine: $*" >&2
  echo "ERROR: it needs Linux (x86-64 or arm64) with Debian's openjdk-17-jdk-headless (jlink and jmods), ldd (libc-bin)" >&2
  echo "ERROR: and GNU tar; see launchers/connector-image/README.md." >&2
  exit 1
}

[ "$(uname -s)" = Linux ] || fail "the build machine runs $(uname -s), not Linux"
case "$(uname -m)" in
  x86_64) arch=amd64; lib_dir=lib/x86_64-linux-gnu; loader=lib64/ld-linux-x86-64.so.2
          natives='^(META-INF/native/.*x86_64\.so|libduckdb_java\.so_linux_amd64|ai/onnxruntime/native/linux-x64/.*\.so)$' ;;
  aarch64) arch=arm64; lib_dir=lib/aarch64-linux-gnu; loader=lib/ld-linux-aarch64.so.1
           natives='^(META-INF/native/.*aarch_64\.so|libduckdb_java\.so_linux_arm64|ai/onnxruntime/native/linux-aarch64/.*\.so)$' ;;
  *) fail "the build machine is $(uname -m), not x86-64 or arm64" ;;
esac
[ -x "$java_home/bin/jlink" ] || fail "no jlink in $java_home/bin (install openjdk-17-jdk-headless)"
[ -f "$java_home/jmods/java.base.jmod" ] || fail "no jmods in $java_home/jmods (install openjdk-17-jdk-headless)"
"$java_home/bin/java" -version 2>&1 | grep -q '"17\.' || fail "the JDK in $java_home is not Java 17"
command -v ldd >/dev/null || fail "no ldd (install libc-bin)"
tar --version 2>/dev/null | grep -q 'GNU tar' || fail "tar is not GNU tar"
[ -f "$launcher_jar" ] || fail "no launcher jar at $launcher_jar"
command -v sha256sum >/dev/null || fail "no sha256sum (install coreutils)"

rm -rf "$out"
root=$out/root
mkdir -p "$root/opt" "$root/$lib_dir" "$root/$(dirname "$loader")" "$root/etc" "$root/$data_dir" "$root/tmp"

# the runtime
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$root/opt/java"
# Debian's JDK keeps the CA certificates in ca-certificates-java; the jmods' own cacerts is used when that is absent
if [ -s /etc/ssl/certs/java/cacerts ]; then
  cp /etc/ssl/certs/java/cacerts "$root/opt/java/lib/security/cacerts"
fi

# the launcher's native libraries, only to ask ldd what they need (they stay in the jar, which extracts them)
natives_dir=$out/natives
mkdir -p "$natives_dir"
mapfile -t entries < <("$java_home/bin/jar" tf "$launcher_jar" | grep -E "$natives")
[ "${#entries[@]}" -gt 0 ] || fail "no native libraries for $arch in $launcher_jar"
(cd "$natives_dir" && "$java_home/bin/jar" xf "$launcher_jar" "${entries[@]}")

# every shared library that the runtime's and those native libraries need, from this machine; the desktop
# module's X11, sound and font libraries are left out (the connector runs headless and never loads them)
mapfile -t objects < <(find "$root/opt/java" "$natives_dir" -type f \( -name '*.so' -o -name '*.so_*' -o -path '*/bin/*' \) \
  ! -name libawt_xawt.so ! -name libjawt.so ! -name libsplashscreen.so ! -name libjsound.so ! -name libfontmanager.so | sort)
needed=$(for object in "${objects[@]}"; do
  LD_LIBRARY_PATH="$root/opt/java/lib:$root/opt/java/lib/server" ldd "$object" 2>/dev/null || true
done | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | grep -v "^$root" | sort -u)
missing=$(for object in "${objects[@]}"; do
  LD_LIBRARY_PATH="$root/opt/java/lib:$root/opt/java/lib/server" ldd "$object" 2>/dev/null || true
done | awk '/=> not found/ { print $1 }' | sort -u)
# a native library that needs a sibling from the same jar (ONNX Runtime's JNI library needs libonnxruntime.so.1, which
# the Java side loads first from the same directory) is satisfied by it
unresolved=""
for library in $missing; do
  [ -n "$(find "$natives_dir" -name "${library%%.so*}.so")" ] || unresolved="$unresolved $library"
done
[ -z "$unresolved" ] || fail "these libraries are not installed:$unresolved"
for library in $needed; do
  cp -L "$library" "$root/$lib_dir/$(basename "$library")"
done
cp -L "/$loader" "$root/$loader"

# the user and a name-service configuration for glibc
cat > "$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/sbin/nologin
kakehashi:x:$uid:$uid:Kakehashi connector:/$data_dir:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<GROUP
root:x:0:
kakehashi:x:$uid:
GROUP
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"

# one layer: everything root's and read-only to the user but /tmp (everyone's, sticky) and the data directory (the
# user's alone; a volume created from the image takes its owner and mode)
chmod 1777 "$root/tmp"
chmod 0750 "$root/$data_dir"
find "$root" -exec touch -h -d @0 {} +
layer=$out/layer.tar
tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 --format=gnu \
  --exclude="./$data_dir" -C "$root" -cf "$layer" .
tar --mtime=@0 --numeric-owner --owner=$uid --group=$uid --format=gnu --no-recursion \
  -C "$root" -rf "$layer" "./$data_dir"
diff_id=$(sha256sum "$layer" | cut -d' ' -f1)

# `docker save` layout: manifest.json, the config, the layer
cat > "$out/config.json" <<CONFIG
{"architecture":"$arch","os":"linux","config":{"Env":["PATH=/opt/java/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"launchers/connector-image/image/build-base-image.sh"}]}
CONFIG
echo '[{"Config":"config.json","RepoTags":["kakehashi-base:local"],"Layers":["layer.tar"]}]' > "$out/manifest.json"
touch -d @0 "$out/config.json" "$out/manifest.json"
tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$out" -cf "$out/base.tar" manifest.json config.json layer.tar
rm -rf "$root" "$natives_dir" "$layer" "$out/config.json" "$out/manifest.json"
echo "base image: $out/base.tar ($(du -h "$out/base.tar" | cut -f1), runtime from $java_home)"
