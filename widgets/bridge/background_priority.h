#pragma once
// The engine's worker thread runs at a lower CPU priority than the window: on two cores a merge or an
// evaluation would otherwise take the cores the canvas needs to draw at 60 frames per second while it runs
// (tests/bench/bench_canvas measures both). The engine loses little: the window is idle most of the time.
namespace mg::ui {

// Lowers the calling thread's priority (Linux: its nice value, +10; threads it starts inherit it).
// Does nothing where that is not possible.
void runInBackgroundPriority();

} // namespace mg::ui
