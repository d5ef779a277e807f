# Packaging: install the desktop integration and configure CPack (DEB and TGZ).
# Included OPTIONALly by the top-level CMakeLists.txt after the targets exist.
include(GNUInstallDirs)

install(FILES "${CMAKE_CURRENT_LIST_DIR}/io.github.slimbench.slimbench.desktop"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
install(FILES "${CMAKE_CURRENT_LIST_DIR}/io.github.slimbench.slimbench.metainfo.xml"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
install(FILES "${CMAKE_SOURCE_DIR}/resources/icons/slimbench.svg"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps"
        RENAME "io.github.slimbench.slimbench.svg")

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

# Debian: dependencies from the linked shared libraries (Qt 6, libarchive, ...).
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")

include(CPack)
