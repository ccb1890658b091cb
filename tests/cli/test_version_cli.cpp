// merganser-cli --version names what it runs on, for bug reports (issue 16): its version, LibTorch, the Qt
// the workbench was built with, the HDF5 and the BLAS library loaded at run time.
#include "support/test_registry.h"
#include <QtTest>

#include <H5public.h>
#include <torch/version.h>

#include <QFileInfo>
#include <QRegularExpression>

#include "support/cli_runner.h"
#include "util/version.h"

class VersionCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void versionNamesTheLibraries() {
    const auto result = mg::test::runCli({QStringLiteral("--version")});
    QCOMPARE(result.exitCode, 0);
    const QStringList lines = result.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.value(0), QStringLiteral("merganser-cli %1").arg(QString::fromLatin1(mg::kVersion)));
    QVERIFY2(lines.contains(QStringLiteral("LibTorch " TORCH_VERSION)), qPrintable(result.out));
    QVERIFY2(lines.contains(
                 QStringLiteral("HDF5 %1.%2.%3").arg(H5_VERS_MAJOR).arg(H5_VERS_MINOR).arg(H5_VERS_RELEASE)),
             qPrintable(result.out));
    QVERIFY2(lines.filter(QRegularExpression(QStringLiteral("^Qt 6\\.\\d+\\.\\d+"))).size() == 1,
             qPrintable(result.out));
    // The BLAS line names the library file that serves sgemm_, and it exists.
    const QStringList blas = lines.filter(QRegularExpression(QStringLiteral("^BLAS ")));
    QCOMPARE(blas.size(), 1);
    const QRegularExpressionMatch file =
        QRegularExpression(QStringLiteral("(/\\S+\\.so[.\\d]*)")).match(blas.front());
    QVERIFY2(file.hasMatch() && QFileInfo::exists(file.captured(1)), qPrintable(blas.front()));
    if (blas.front().contains(QStringLiteral("openblas"), Qt::CaseInsensitive))
      QVERIFY2(blas.front().contains(QRegularExpression(QStringLiteral("OpenBLAS \\d+\\.\\d+"))),
               qPrintable(blas.front()));
  }
};

MG_TEST_APPLESS_MAIN(VersionCliTest)
#include "test_version_cli.moc"
