"""Text utilities shared by every stage: width normalisation, 繁简 conversion, script detection."""
