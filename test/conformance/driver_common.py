"""What every torch driver of the conformance tests starts with.

`torch` is imported here, and a missing or broken torch exits with code 3 and a JSON
`{"error": ...}`, which the tests read as "torch is unavailable" (a skip with a banner, or
a failure when ANNEAL_REQUIRE_TORCH is set); any other failure of a driver is a real one.
"""

import json
import sys


def fail(message, code):
    print(json.dumps({"error": message}))
    sys.exit(code)


try:
    import torch  # noqa: F401  (re-exported for the drivers)
except Exception as exc:  # torch missing or broken: the caller decides whether that is fatal
    fail("cannot import torch: %s" % (exc,), 3)
