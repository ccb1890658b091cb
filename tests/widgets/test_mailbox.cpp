// Calls handed from worker threads to the GUI thread: they run there, in the order each thread posted them,
// a call may open a nested event loop without holding back the later ones, and calls still queued when the
// owner dies never run.
#include "support/test_registry.h"
#include <QtTest>

#include <QThread>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "bridge/mailbox.h"
#include "support/test_time.h"

using mg::ui::Mailbox;

class MailboxTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void callsFromTwoThreadsRunOnTheOwnersThreadInEachThreadsOrder() {
    QObject owner;
    auto* mailbox = new Mailbox(&owner);
    constexpr int kCallsPerThread = 2000;
    std::vector<int> seen[2];
    std::atomic<int> offThread{0};
    QThread* gui = QThread::currentThread();
    auto poster = [&](int which) {
      for (int i = 0; i < kCallsPerThread; ++i)
        mailbox->post([&, which, i] {
          if (QThread::currentThread() != gui) ++offThread;
          seen[which].push_back(i);
        });
    };
    std::thread first(poster, 0), second(poster, 1);
    first.join();
    second.join();
    QTRY_COMPARE_WITH_TIMEOUT(seen[0].size() + seen[1].size(), std::size_t(2 * kCallsPerThread),
                              mg::test::scaledMs(10000));
    QCOMPARE(offThread.load(), 0);
    for (const auto& calls : seen)
      for (int i = 0; i < kCallsPerThread; ++i)
        QCOMPARE(calls[std::size_t(i)], i);
  }

  void aNestedEventLoopDoesNotHoldBackLaterCalls() {
    QObject owner;
    auto* mailbox = new Mailbox(&owner);
    bool laterRanInside = false, later = false;
    mailbox->post([&] {
      QEventLoop loop; // as a message box opened by a delivered result would
      QTimer::singleShot(mg::test::scaledMs(5000), &loop, &QEventLoop::quit);
      mailbox->post([&] {
        later = true;
        loop.quit();
      });
      loop.exec();
      laterRanInside = later;
    });
    QTRY_VERIFY_WITH_TIMEOUT(later, mg::test::scaledMs(10000));
    QVERIFY(laterRanInside);
  }

  void callsQueuedWhenTheOwnerDiesNeverRun() {
    auto ran = std::make_shared<std::atomic<int>>(0);
    {
      QObject owner;
      auto* mailbox = new Mailbox(&owner);
      std::thread([mailbox, ran] {
        for (int i = 0; i < 100; ++i)
          mailbox->post([ran] { ++*ran; });
      }).join();
    } // owner (and the mailbox with its queued calls) destroyed before the event loop ran
    QTest::qWait(50);
    QCOMPARE(ran->load(), 0);
    QCOMPARE(ran.use_count(), 1L); // the queued calls' captures were released
  }

  void aCallMayDestroyTheOwner() {
    auto* owner = new QObject;
    QPointer<QObject> alive(owner);
    auto* mailbox = new Mailbox(owner);
    bool after = false;
    mailbox->post([owner] { delete owner; });
    mailbox->post([&after] { after = true; }); // dies with the owner
    QTRY_VERIFY_WITH_TIMEOUT(alive.isNull(), mg::test::scaledMs(5000));
    QTest::qWait(50);
    QVERIFY(!after);
  }
};

MG_TEST_MAIN(MailboxTest)
#include "test_mailbox.moc"
