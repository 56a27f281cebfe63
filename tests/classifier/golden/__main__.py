"""Regenerate the golden outputs after a deliberate behaviour change (and a bump of DECLARED_VERSION):

    .venv/bin/python -m tests.classifier.golden
"""

import json

from tests.classifier.test_golden import OUTPUTS, current_outputs

if __name__ == "__main__":
    version, results = current_outputs()
    with OUTPUTS.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"classifier_version": version}) + "\n")
        for result in results:
            out.write(json.dumps(result, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(results)} outputs of classifier {version} written to {OUTPUTS}")
