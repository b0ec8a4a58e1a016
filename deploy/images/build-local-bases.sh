#!/usr/bin/env bash
# Builds the base images kcidb-ng's Dockerfiles need, for a Docker engine that cannot pull from any image registry.
#
#   deploy/images/build-local-bases.sh [--force]
#
# Only Debian's package archive is needed: a Debian root file system made with debootstrap (run as root) is imported
# as kcidb-local/debian:trixie, and the other bases are built on it from Debian's packages:
#
#   kcidb-local/debian:trixie    debootstrap --variant=minbase trixie, imported with 'docker import'
#   kcidb-local/maven:21         + openjdk-21-jdk-headless and maven      (BUILD_IMAGE of deploy/docker/Dockerfile)
#   kcidb-local/jre:21           + a jlink'ed Java 21 runtime from it      (RUNTIME_IMAGE of deploy/docker/Dockerfile)
#   kcidb-local/postgres:17      + postgresql-17 and an entrypoint like the official image's  (POSTGRES_IMAGE)
#
# Images that already exist are kept (--force rebuilds them). Where registries are reachable none of this is needed:
# the Dockerfiles default to maven:3.9-eclipse-temurin-21, eclipse-temurin:21-jre and postgres:17.
#
# Environment: KCIDB_LOCAL_PREFIX (default kcidb-local), DEBIAN_SUITE (trixie), DEBIAN_MIRROR (http://deb.debian.org/debian).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PREFIX=${KCIDB_LOCAL_PREFIX:-kcidb-local}
SUITE=${DEBIAN_SUITE:-trixie}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
FORCE=no
[ "${1:-}" = "--force" ] && FORCE=yes

say() { printf '[bases] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
have_image() { [ "$FORCE" = no ] && docker image inspect "$1" >/dev/null 2>&1; }

command -v docker >/dev/null || die "docker is not installed"
docker info >/dev/null 2>&1 || die "no Docker engine answers ('docker info' fails)"

DEBIAN_IMAGE=$PREFIX/debian:$SUITE
if have_image "$DEBIAN_IMAGE"; then
  say "$DEBIAN_IMAGE exists"
else
  command -v debootstrap >/dev/null || die "debootstrap is needed to make $DEBIAN_IMAGE ('apt-get install debootstrap')"
  [ "$(id -u)" = 0 ] || die "debootstrap needs root"
  rootfs=$(mktemp -d /var/tmp/kcidb-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  say "debootstrap $SUITE (minbase) from $MIRROR into $rootfs ..."
  debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 \
    || { tail -n 30 "$rootfs.log" >&2; die "debootstrap failed (log: $rootfs.log)"; }
  rm -f "$rootfs.log"
  # What an image does not need: downloaded packages and package lists (apt-get update fetches them again).
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/* "$rootfs"/var/log/*.log \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  # Packages' maintainer scripts (openjdk's update-alternatives) still link man pages into man1.
  mkdir -p "$rootfs/usr/share/man/man1"
  printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb\nURIs: http://deb.debian.org/debian-security\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$MIRROR" "$SUITE" "$SUITE" "$SUITE" >"$rootfs/etc/apt/sources.list.d/debian.sources"
  rm -f "$rootfs/etc/apt/sources.list"
  # As Debian's own images: no recommends, no documentation.
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$rootfs/etc/apt/apt.conf.d/90kcidb-norecommends"
  printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\npath-exclude /usr/share/locale/*\npath-include /usr/share/locale/locale.alias\n' \
    >"$rootfs/etc/dpkg/dpkg.cfg.d/90kcidb-nodoc"
  say "importing it as $DEBIAN_IMAGE ..."
  tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
fi

build_base() { # $1 = tag, $2 = Dockerfile, $3 = context folder (optional)
  if have_image "$1"; then say "$1 exists"; return 0; fi
  say "building $1 ..."
  local ctx log
  ctx=$(mktemp -d /var/tmp/kcidb-base-ctx.XXXXXX)
  log=$ctx.log
  if [ -n "${3:-}" ]; then cp -r "$3"/. "$ctx"/; fi
  cp "$2" "$ctx/Dockerfile"
  # The certificate authorities this host trusts beyond the distribution's, for hosts behind a TLS-inspecting proxy.
  mkdir -p "$ctx/ca-certificates"
  touch "$ctx/ca-certificates/.keep"
  if [ -d /usr/local/share/ca-certificates ]; then
    find /usr/local/share/ca-certificates -name '*.crt' -exec cp {} "$ctx/ca-certificates/" \;
  fi
  # The host's network: an engine's bridge does not always reach the package archive.
  if ! docker build --network host --build-arg "BASE=$DEBIAN_IMAGE" --build-arg "JDK=$PREFIX/maven:21" -t "$1" "$ctx" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    rm -rf "$ctx"
    die "building $1 failed (whole log: $log)"
  fi
  rm -rf "$ctx" "$log"
}

build_base "$PREFIX/maven:21" "$HERE/Dockerfile.maven"
build_base "$PREFIX/jre:21" "$HERE/Dockerfile.jre"
build_base "$PREFIX/postgres:17" "$HERE/../docker/postgres/Dockerfile" "$HERE/../docker/postgres"
say "ready: BUILD_IMAGE=$PREFIX/maven:21 RUNTIME_IMAGE=$PREFIX/jre:21 POSTGRES_IMAGE=$PREFIX/postgres:17"
