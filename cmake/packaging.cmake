# The .deb (packaging/dev.sh deb): merganser and merganser-cli with a desktop entry, icons, an AppStream
# metainfo file, the .mgproj MIME type and man pages. Depends are computed by dpkg-shlibdeps from the
# binaries, never listed by hand. The icons and man pages are made by the `packaging_assets` target
# (rsvg-convert, help2man: packaging/install-deps.sh), part of every build (a second or two), so that the
# suite's packaging.deb test packs and checks the .deb of the build it tests.
include(GNUInstallDirs)

set(linux_dir ${PROJECT_SOURCE_DIR}/packaging/linux)
set(app_id io.github.merganser.Merganser)
set(assets_dir ${PROJECT_BINARY_DIR}/packaging)

install(FILES ${linux_dir}/${app_id}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${linux_dir}/${app_id}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${linux_dir}/merganser-mime.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages
        RENAME ${app_id}.xml)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/merganser.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME ${app_id}.svg)

# The user guide (Help ▸ User Guide finds it there); its pictures when docs/make_screenshots.sh made them.
install(FILES ${PROJECT_SOURCE_DIR}/docs/guide.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/merganser)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/images DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/merganser OPTIONAL)

find_program(RSVG_CONVERT rsvg-convert)
find_program(HELP2MAN help2man)
set(asset_files)
if(RSVG_CONVERT)
  foreach(size 16 24 32 48 64 128 256 512)
    set(png ${assets_dir}/icons/${size}/${app_id}.png)
    add_custom_command(OUTPUT ${png}
                       COMMAND ${CMAKE_COMMAND} -E make_directory ${assets_dir}/icons/${size}
                       COMMAND ${RSVG_CONVERT} -w ${size} -h ${size} -o ${png}
                               ${PROJECT_SOURCE_DIR}/resources/icons/merganser.svg
                       DEPENDS ${PROJECT_SOURCE_DIR}/resources/icons/merganser.svg VERBATIM)
    list(APPEND asset_files ${png})
    install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps OPTIONAL)
  endforeach()
endif()
if(HELP2MAN)
  # From the programs' own --help and --version, so the pages never drift from them.
  set(man_cli ${assets_dir}/man/merganser-cli.1)
  add_custom_command(OUTPUT ${man_cli}.gz
                     COMMAND ${CMAKE_COMMAND} -E make_directory ${assets_dir}/man
                     COMMAND ${HELP2MAN} --no-info --no-discard-stderr --section=1
                             --name=compose\ models\ from\ a\ base,\ fine-tunes\ and\ adapters
                             --output=${man_cli} $<TARGET_FILE:merganser-cli>
                     COMMAND gzip -9nf ${man_cli}
                     DEPENDS merganser-cli VERBATIM)
  list(APPEND asset_files ${man_cli}.gz)
  install(FILES ${man_cli}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 OPTIONAL)
  if(MERGANSER_BUILD_GUI)
    set(man_gui ${assets_dir}/man/merganser.1)
    add_custom_command(OUTPUT ${man_gui}.gz
                       COMMAND ${CMAKE_COMMAND} -E make_directory ${assets_dir}/man
                       COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
                               ${HELP2MAN} --no-info --no-discard-stderr --section=1
                               --name=the\ Merganser\ model\ composition\ workbench
                               --output=${man_gui} $<TARGET_FILE:merganser>
                       COMMAND gzip -9nf ${man_gui}
                       DEPENDS merganser VERBATIM)
    list(APPEND asset_files ${man_gui}.gz)
    install(FILES ${man_gui}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 OPTIONAL)
  endif()
endif()
add_custom_target(packaging_assets ALL DEPENDS ${asset_files})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME merganser)
set(CPACK_PACKAGE_VENDOR "The Merganser developers")
set(CPACK_PACKAGE_CONTACT "The Merganser developers <merganser@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "workbench for composing models from a base, fine-tunes and adapters")
set(CPACK_PACKAGE_DESCRIPTION
    "A node-graph workbench (merganser) and a command line (merganser-cli) that merge a base model's\n\
fine-tunes and LoRA/IA3 adapters (task arithmetic, TIES, DARE, Fisher, SLERP and more), route inputs\n\
to specialists, evaluate and compare the results, and export safetensors checkpoints and PEFT adapters.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # Depends from the binaries' libraries (dpkg-shlibdeps)
# What no library link shows: Qt's platform plugins (xcb, wayland, offscreen) are loaded at run time.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n")
set(CPACK_STRIP_FILES ON)              # the build keeps line tables; the package does not need them
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/deb)
include(CPack)

if(MERGANSER_BUILD_TESTS AND MERGANSER_BUILD_GUI AND RSVG_CONVERT AND HELP2MAN)
  # Packs into a folder of its own (the build's deb/ is dev.sh's) and checks the package unpacked.
  add_test(NAME packaging.deb
           COMMAND sh -c "rm -rf deb-test && cpack -G DEB -B deb-test >/dev/null && \
                          ${PROJECT_SOURCE_DIR}/packaging/test-deb.sh deb-test/*.deb"
           WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
endif()
