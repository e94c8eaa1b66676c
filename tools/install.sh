#!/usr/bin/env bash
# Installs dnsbl for builds that are not Bazel builds, under one prefix:
#
#   PREFIX/include/dnsbl/...           dnsbl.h and the headers it includes
#   PREFIX/include/proto/dnsbl.pb.h    the generated report schema
#   PREFIX/share/dnsbl/dnsbl.proto     the schema itself (package dnsbl.v1)
#   PREFIX/lib/libdnsbl.a              static library
#   PREFIX/lib/libdnsbl.so*            shared library (soname libdnsbl.so.MAJOR)
#   PREFIX/lib/pkgconfig/dnsbl.pc      pkg-config module
#   PREFIX/lib/cmake/dnsbl/            CMake package: find_package(dnsbl)
#   PREFIX/lib/python3/dist-packages/dnsbl/   the Python module
#
# or makes the Python wheel (--wheel): DIST/dnsbl-VERSION-TAG.whl for the
# interpreter PYTHON (default Debian's /usr/bin/python3), carrying the
# libraries it needs (tools/make_wheel.py); `pip install` it into any
# virtual environment of that interpreter.
#
# usage: tools/install.sh --prefix=DIR
#        [PYTHON=INTERPRETER] tools/install.sh --wheel [--dist=DIR]
#
# The system libraries (c-ares, libcurl, protobuf, Abseil) stay Debian's:
# dnsbl.pc requires them and the CMake package finds them through
# pkg-config. Idempotent: a second run replaces what the first installed.
set -euo pipefail

usage="usage: tools/install.sh --prefix=DIR | [PYTHON=...] tools/install.sh --wheel [--dist=DIR]"
prefix=""
wheel=""
dist=""
for arg in "$@"; do
  case "$arg" in
    --prefix=*) prefix="${arg#--prefix=}" ;;
    --wheel) wheel=1 ;;
    --dist=*) dist="${arg#--dist=}" ;;
    *)
      echo "install.sh: unknown argument '$arg' ($usage)" >&2
      exit 2
      ;;
  esac
done
if [[ -n "$wheel" ]]; then
  if [[ -n "$prefix" ]]; then
    echo "install.sh: --wheel and --prefix go apart ($usage)" >&2
    exit 2
  fi
  dist=${dist:-dist}
  mkdir -p "$dist"
  dist=$(cd "$dist" && pwd)
  cd "$(dirname "$0")/.."
  exec bash tools/make_wheel.sh "${PYTHON:-/usr/bin/python3}" "$dist"
fi
if [[ -z "$prefix" ]]; then
  echo "install.sh: --prefix=DIR or --wheel is required ($usage)" >&2
  exit 2
fi
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
cd "$(dirname "$0")/.."

flags=(-c opt --force_pic)
bazel build "${flags[@]}" //:libdnsbl //:pkg_config_requires //python:package
bin=$(bazel info "${flags[@]}" bazel-bin 2>/dev/null)

version=$(sed -n 's/^#define DNSBL_VERSION_STRING "\(.*\)"$/\1/p' dnsbl/version.h)
major=${version%%.*}
requires=$(cat "$bin/pkg_config_requires.txt")

# Headers: exactly the project headers dnsbl/dnsbl.h includes, directly or
# not (-MM leaves out the system ones).
mapfile -t headers < <(g++ -std=c++17 -MM -I. -I"$bin" -x c++ dnsbl/dnsbl.h |
  tr ' \\' '\n\n' | grep -E '\.h$' | grep -v '^$')
rm -rf "$prefix/include/dnsbl" "$prefix/include/proto"
for h in "${headers[@]}"; do
  rel=${h#"$bin/"}
  install -D -m 644 "$h" "$prefix/include/$rel"
done
install -D -m 644 proto/dnsbl.proto "$prefix/share/dnsbl/dnsbl.proto"

# Libraries: the archive as Bazel made it, and a shared library of all of
# it (the archive's objects are position-independent).
install -D -m 644 "$bin/libdnsbl.a" "$prefix/lib/libdnsbl.a"
# shellcheck disable=SC2086
c++ -shared -o "$prefix/lib/libdnsbl.so.$version" \
  -Wl,-soname,"libdnsbl.so.$major" \
  -Wl,--whole-archive "$bin/libdnsbl.a" -Wl,--no-whole-archive \
  $(pkg-config --libs $requires)
ln -sf "libdnsbl.so.$version" "$prefix/lib/libdnsbl.so.$major"
ln -sf "libdnsbl.so.$major" "$prefix/lib/libdnsbl.so"

mkdir -p "$prefix/lib/pkgconfig"
cat > "$prefix/lib/pkgconfig/dnsbl.pc" <<EOF
prefix=$prefix
includedir=\${prefix}/include
libdir=\${prefix}/lib

Name: dnsbl
Description: Checks IP addresses against DNS blocklists and merges the answers into one report
Version: $version
Requires: $requires
Cflags: -I\${includedir} -std=c++17
Libs: -L\${libdir} -ldnsbl
EOF

mkdir -p "$prefix/lib/cmake/dnsbl"
cat > "$prefix/lib/cmake/dnsbl/dnsblConfig.cmake" <<EOF
# dnsbl's CMake package (written by dnsbl's tools/install.sh).
#
#   find_package(dnsbl REQUIRED)
#   target_link_libraries(my_tool PRIVATE dnsbl::dnsbl)         # shared
#   target_link_libraries(my_tool PRIVATE dnsbl::dnsbl_static)  # static
#
# The system libraries dnsbl uses are found through pkg-config.
include(CMakeFindDependencyMacro)
find_dependency(PkgConfig)
pkg_check_modules(DNSBL_DEPS REQUIRED IMPORTED_TARGET $requires)

get_filename_component(_dnsbl_prefix "\${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
foreach(_dnsbl_kind IN ITEMS SHARED STATIC)
  if(_dnsbl_kind STREQUAL "SHARED")
    set(_dnsbl_target dnsbl::dnsbl)
    set(_dnsbl_file "\${_dnsbl_prefix}/lib/libdnsbl.so.$version")
  else()
    set(_dnsbl_target dnsbl::dnsbl_static)
    set(_dnsbl_file "\${_dnsbl_prefix}/lib/libdnsbl.a")
  endif()
  if(NOT TARGET \${_dnsbl_target})
    add_library(\${_dnsbl_target} \${_dnsbl_kind} IMPORTED)
    set_target_properties(\${_dnsbl_target} PROPERTIES
      IMPORTED_LOCATION "\${_dnsbl_file}"
      INTERFACE_INCLUDE_DIRECTORIES "\${_dnsbl_prefix}/include"
      INTERFACE_LINK_LIBRARIES PkgConfig::DNSBL_DEPS
      INTERFACE_COMPILE_FEATURES cxx_std_17)
  endif()
endforeach()
set_target_properties(dnsbl::dnsbl PROPERTIES IMPORTED_SONAME "libdnsbl.so.$major")
unset(_dnsbl_kind)
unset(_dnsbl_target)
unset(_dnsbl_file)
EOF
cat > "$prefix/lib/cmake/dnsbl/dnsblConfigVersion.cmake" <<EOF
# Compatible within one major version, as the soname says.
set(PACKAGE_VERSION "$version")
if(PACKAGE_FIND_VERSION_MAJOR STREQUAL "$major" AND
   NOT PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
else()
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
endif()
EOF

rm -rf "$prefix/lib/python3/dist-packages/dnsbl"
bash tools/stage_python_package.sh "$bin" "$prefix/lib/python3/dist-packages"

echo "install.sh: dnsbl $version installed in $prefix (${#headers[@]} headers)"
