# CPack: DEB and TGZ of what `cmake --install` installs (app/ and packaging/CMakeLists.txt).
# Included by the top-level CMakeLists.txt after the targets exist.
#   cmake --build build && (cd build && cpack -G DEB)    ->  build/slimbench_VERSION_ARCH.deb
set(CPACK_PACKAGE_NAME "slimbench")
set(CPACK_PACKAGE_VENDOR "slimbench")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "slimbench maintainers")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "slimbench")
set(CPACK_RESOURCE_FILE_README "${CMAKE_SOURCE_DIR}/README.md")
set(CPACK_RESOURCE_FILE_LICENSE "${CMAKE_SOURCE_DIR}/LICENSE")
set(CPACK_GENERATOR "TGZ;DEB")
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/;/\\\\.cache/")
set(CPACK_STRIP_FILES ON)

string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "slimbench opens a Python project (a Dockerfile plus requirements.txt or\n"
  "pyproject.toml), derives the classic ways to build its image (fat, alpine,\n"
  "slim, multi-stage and BuildKit-optimised) and estimates every layer's size and\n"
  "the build time before anything is built. It explains each gotcha and exports\n"
  "the Dockerfile you pick. Its command line: slimbench analyze, lint, parse,\n"
  "requirements and inspect (saved images).")

# Debian: the Depends are found by dpkg-shlibdeps from the libraries the binary links (Qt 6
# Core/Gui/Widgets/Charts/Svg, libarchive, jemalloc, ...). What Qt loads at run time as plugins comes
# with those packages on Debian 12: the xcb and offscreen platforms are in libqt6gui6, the SVG icon
# engine and image format (the window's icon is an SVG) in libqt6svg6; scripts/check-deb.sh checks
# that they are there after `apt-get install --no-install-recommends`. Wayland needs qt6-wayland
# (without it Qt runs through XWayland); inspect reads images that podman or docker save.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "podman | docker.io")
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
if(SLIMBENCH_HOMEPAGE_URL)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${SLIMBENCH_HOMEPAGE_URL}")
endif()

include(CPack)
