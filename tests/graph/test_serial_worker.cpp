// The background thread the GUI's file work runs on: jobs run off the caller's thread, one at a time in the
// order given; a job that throws does not stop the ones after it; destroying the worker finishes what was
// given.
#include "support/test_registry.h"
#include <QtTest>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "util/serial_worker.h"

class SerialWorkerTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void runsEveryJobOffTheCallersThreadInOrderBeforeItIsDestroyed() {
    std::vector<int> order;
    std::atomic<int> onCaller{0}, running{0}, overlapping{0};
    const auto caller = std::this_thread::get_id();
    {
      mg::util::SerialWorker worker("test worker");
      for (int i = 0; i < 500; ++i)
        worker.post([&, i] {
          if (running.fetch_add(1) != 0) ++overlapping;
          if (std::this_thread::get_id() == caller) ++onCaller;
          if (i % 100 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2)); // a slow write
          order.push_back(i);
          running.fetch_sub(1);
        });
    } // the destructor waits for all 500
    QCOMPARE(order.size(), std::size_t(500));
    for (int i = 0; i < 500; ++i)
      QCOMPARE(order[std::size_t(i)], i);
    QCOMPARE(onCaller.load(), 0);
    QCOMPARE(overlapping.load(), 0);
  }

  void aJobThatThrowsDoesNotStopTheNextOnes() {
    std::atomic<int> ran{0};
    {
      mg::util::SerialWorker worker("test worker");
      worker.post([] { throw std::runtime_error("disk full"); });
      worker.post([] { throw 42; });
      worker.post([&] { ++ran; });
    }
    QCOMPARE(ran.load(), 1);
  }
};

MG_TEST_MAIN(SerialWorkerTest)
#include "test_serial_worker.moc"
