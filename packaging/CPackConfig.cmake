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
set(CPACK_GENERATOR "TGZ;DEB")
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/;/\\\\.cache/")
set(CPACK_STRIP_FILES ON)

# Debian: the dependencies are found by dpkg-shlibdeps from the libraries the binary links (Qt 6
# Core/Gui/Widgets/Charts/Svg, libarchive, jemalloc, ...). What Qt loads at run time as plugins comes
# with those packages on Debian 12: the xcb, wayland-less and offscreen platforms are in libqt6gui6,
# the SVG icon engine (the window's icon is an SVG) in libqt6svg6.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
if(SLIMBENCH_HOMEPAGE_URL)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${SLIMBENCH_HOMEPAGE_URL}")
endif()

include(CPack)
