"""The version of the registration's privacy notice (dialogs/registration.yaml, step consent)."""

from __future__ import annotations

# Raise this whenever the text of registration.consent changes: people who accepted an older
# notice are asked again before their registration is changed. The fingerprint is the SHA-256
# of the Spanish text; tests/test_registration_consent.py fails when the text changes without
# both being updated.
PRIVACY_NOTICE_VERSION = "2026-11-1"
PRIVACY_NOTICE_SHA256 = "afc6cc037a7447e1f08b61bacb9c5a3b65e59a2c6c28efe63bccd40a7b75952e"
