#pragma once
// Where the independent reference implementations (tests/reference/*.py) and the Python that runs them are:
// CMake passes Debian's /usr/bin/python3 (which has python3-torch) and the folder; empty when not configured,
// and the tests that need them then skip with a message.
#ifndef MG_REFERENCE_PYTHON
#define MG_REFERENCE_PYTHON ""
#endif
#ifndef MG_REFERENCE_DIR
#define MG_REFERENCE_DIR ""
#endif
