#!/usr/bin/env bash
# The README's two commands:
#   packaging/dev.sh run    install what is missing, build, open the workbench on the demo zoo
#                           (trained into $BUILD_DIR/demo on first run); extra arguments go to merganser
#   packaging/dev.sh test   install what is missing, build, run the whole test suite (headless)
#   packaging/dev.sh deb    build the .deb (CPack: programs, desktop entry, icons, AppStream metainfo, MIME
#                           type, man pages; Depends from dpkg-shlibdeps) in $BUILD_DIR/deb and check it
#                           unpacked in a fresh root (packaging/test-deb.sh)
#   packaging/dev.sh fuzz [RUNS] [TARGET...]
#                           build tests/fuzz with clang (libFuzzer, ASan, UBSan) in $FUZZ_BUILD_DIR (default
#                           build-fuzz), write the seed corpora, run each target (default: all) for RUNS
#                           executions (default 1000000); a finding stops it and is kept in findings/
#   packaging/dev.sh sanitize [address|thread|all]
#                           address: build with AddressSanitizer + UndefinedBehaviorSanitizer in build-asan and
#                           run the whole suite; thread: build with ThreadSanitizer in build-tsan and run the
#                           tests that run the engine on threads (engine, export, engine bridge, GUI runs);
#                           all (default): both. Suppressions, each with its reason: packaging/sanitizers/
# Environment: BUILD_DIR (default build), JOBS (default: number of cores).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}

"$here/packaging/install-deps.sh"

# ccache: share objects between checkouts (CI clones elsewhere) and accept precompiled headers.
export CCACHE_BASEDIR="$here"
export CCACHE_NOHASHDIR=1 # debug info names the build folder; without this a second clone never hits
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}

configure() {
  cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
}

case "${1:-}" in
  run)
    shift
    configure
    cmake --build "$build_dir" -j "$jobs" --target merganser merganser-cli
    if [ $# -eq 0 ]; then
      # First run: train the demo zoo (about a minute on two cores) and open its project.
      demo="$build_dir/demo"
      [ -f "$demo/demo.mgproj" ] || "$build_dir/app/merganser-cli" demo --out "$demo"
      set -- "$demo/demo.mgproj"
    fi
    exec "$build_dir/app/merganser" "$@"
    ;;
  test)
    shift
    configure
    cmake --build "$build_dir" -j "$jobs"
    cd "$build_dir"
    QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 900 -j "$jobs" "$@"
    ;;
  deb)
    shift
    configure
    cmake --build "$build_dir" -j "$jobs" --target merganser merganser-cli packaging_assets
    # The user guide's pictures, when the demo zoo exists (packaging/dev.sh run trains it).
    [ -f "$build_dir/demo/demo.mgproj" ] && "$here/docs/make_screenshots.sh" "$build_dir/demo" \
      "$build_dir/app/merganser" >/dev/null
    rm -f "$build_dir"/deb/*.deb
    (cd "$build_dir" && cpack -G DEB >/dev/null)
    package=$(ls "$build_dir"/deb/*.deb)
    "$here/packaging/test-deb.sh" "$package"
    echo "$package"
    ;;
  fuzz)
    shift
    runs=${1:-1000000}
    [ $# -gt 0 ] && shift
    "$here/packaging/install-deps.sh" fuzz
    fuzz_dir=${FUZZ_BUILD_DIR:-build-fuzz}
    CC=clang CXX=clang++ cmake -S "$here" -B "$fuzz_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DMERGANSER_FUZZ=ON >/dev/null
    cmake --build "$fuzz_dir" -j "$jobs" --target fuzz_all
    "$fuzz_dir/tests/fuzz/fuzz_make_seeds" "$fuzz_dir/corpus-seeds" tests/data/tokenizers tests/data/mergekit
    targets=("$@")
    [ ${#targets[@]} -gt 0 ] || targets=(safetensors sharded_index strict_json model_config project task_file
                                          hdf5_checkpoint idx tokenizer text_tasks mergekit theta)
    mkdir -p "$fuzz_dir/findings"
    # ASan's quarantine of freed memory (256 MB by default) would count against -rss_limit_mb=512 and end long
    # runs on RSS that no input holds; 64 MB still catches use-after-free of recent frees.
    export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=64}
    for target in "${targets[@]}"; do
      dict=()
      case $target in
        sharded_index | strict_json | model_config | project | tokenizer | text_tasks)
          dict=(-dict=tests/fuzz/dictionaries/json.dict) ;;
        mergekit) dict=(-dict=tests/fuzz/dictionaries/yaml.dict) ;;
      esac
      asan=$ASAN_OPTIONS
      # ASan keeps every distinct allocation stack for good (its stack depot); yaml-cpp's recursive parser makes
      # new ones with each nesting the fuzzer invents, so RSS grew ~0.5 MB per 1000 inputs to the limit while a
      # plain build parsing 400 000 mutated recipes stays at 12 MB. Without allocation stacks RSS stays flat;
      # a finding is still caught and kept, and replaying it (the binary on the file) prints the full stacks.
      [ "$target" = mergekit ] && asan="$asan:malloc_context_size=0"
      corpus="$fuzz_dir/corpus/$target" # grows across runs; the seeds are read beside it
      mkdir -p "$corpus"
      log="$fuzz_dir/findings/$target.log"
      started=$(date +%s)
      binary="$fuzz_dir/tests/fuzz/fuzz_$target"
      options=(-rss_limit_mb=512 -malloc_limit_mb=512 -timeout=10 -max_len=65536 -print_final_stats=1
               -artifact_prefix="$fuzz_dir/findings/$target-")
      case $target in
        task_file | hdf5_checkpoint)
          # libhdf5 itself crashes on some crafted files; io reads each file in a forked child first
          # (io/hdf5_guard.cpp), far too slow to fuzz. So: fuzz in process, keep going past crashes, then
          # check each crash: it must lie in libhdf5 (not in Merganser's code) and, replayed with the guard,
          # be a clean error.
          rm -f "$fuzz_dir/findings/$target-"{crash,timeout,oom,leak}-*
          MERGANSER_HDF5_TRUST_LIBRARY=1 "$binary" "$corpus" "$fuzz_dir/corpus-seeds/$target" -runs="$runs" \
            "${options[@]}" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 >"$log" 2>&1 || true
          executed=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
          library=0
          for found in "$fuzz_dir/findings/$target-"{crash,timeout,oom,leak}-*; do
            [ -e "$found" ] || continue
            # Where it happened: the first frame in libhdf5 or in Merganser's sources, whichever comes first.
            report=$(MERGANSER_HDF5_TRUST_LIBRARY=1 timeout 120 "$binary" -timeout=10 -malloc_limit_mb=512 \
              -rss_limit_mb=512 "$found" 2>&1 || true)
            frame=$(grep -m1 -E '^ +#[0-9]+ .*(libhdf5|/core/[^ ]*\.(cpp|h):|/tests/fuzz/[^ ]*\.(cpp|h):)' \
              <<<"$report" || true)
            if ! grep -q libhdf5 <<<"$frame"; then
              echo "fuzz $target: FINDING in Merganser's code: $found ($frame)" >&2
              exit 1
            fi
            # Replayed as the application reads (the guard on): a clean error, never a crash or a hang.
            if ! ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" "$binary" "$found" >>"$log" 2>&1; then
              echo "fuzz $target: FINDING: the guard did not turn $found into an error, see $log" >&2
              exit 1
            fi
            library=$((library + 1))
          done
          echo "fuzz $target: ${executed:-0} executions in $(($(date +%s) - started)) s; $library inputs crash," \
            "hang, exhaust memory or leak inside libhdf5 itself, each a clean error through the guard"
          continue
          ;;
      esac
      if ! ASAN_OPTIONS=$asan "$binary" "$corpus" "$fuzz_dir/corpus-seeds/$target" "${dict[@]}" -runs="$runs" \
        "${options[@]}" >"$log" 2>&1; then
        echo "fuzz $target: FINDING after $(($(date +%s) - started)) s, see $log" >&2
        exit 1
      fi
      executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
      echo "fuzz $target: $executed executions in $(($(date +%s) - started)) s, no finding"
    done
    ;;
  sanitize)
    shift
    kinds=${1:-all}
    [ "$kinds" = all ] && kinds="address thread"
    supp="$here/packaging/sanitizers"
    for kind in $kinds; do
      case $kind in
        address)
          build_dir=${ASAN_BUILD_DIR:-build-asan}
          flags=address,undefined
          # Every test: a finding ends the test's process with an error, so the test fails.
          tests=()
          # allocator_may_return_null: engine.test_run_failures asks LibTorch for 4 PB to check that a failed
          # allocation fails its node; ASan would abort the process instead of failing the allocation.
          export ASAN_OPTIONS="detect_leaks=1:check_initialization_order=1:detect_stack_use_after_return=1"
          ASAN_OPTIONS+=":allocator_may_return_null=1"
          export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
          export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
          ;;
        thread)
          build_dir=${TSAN_BUILD_DIR:-build-tsan}
          flags=thread
          # The tests whose code runs on more than one thread: the engine (worker pools, streamed export),
          # the export pipeline, the engine bridge and the GUI tests that run the engine on its thread.
          tests=(-R "$(tr -d ' \n' <"$supp/tsan_tests.txt")")
          # die_after_fork=0: tests fork children that then start threads (the HDF5 guard reads a file in a
          # forked child, io/hdf5_guard.cpp; tests run reference processes), which TSan otherwise refuses.
          # allocator_may_return_null: as for ASan above (the 4 PB allocation of engine.test_run_failures).
          export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:die_after_fork=0:allocator_may_return_null=1"
          TSAN_OPTIONS+=":suppressions=$supp/tsan.supp"
          ;;
        *)
          echo "usage: packaging/dev.sh sanitize [address|thread|all]" >&2
          exit 2
          ;;
      esac
      configure -DMERGANSER_SANITIZE="$flags" -DMERGANSER_TEST_TIMEOUT=2700 -DMERGANSER_TEST_TIME_SCALE=10
      cmake --build "$build_dir" -j "$jobs"
      started=$(date +%s)
      (cd "$build_dir" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 2700 -j "$jobs" \
        "${tests[@]}")
      echo "sanitize $kind: clean in $(($(date +%s) - started)) s"
    done
    ;;
  *)
    echo "usage: packaging/dev.sh run|test|deb|fuzz|sanitize" >&2
    exit 2
    ;;
esac
