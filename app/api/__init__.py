"""HTTP API: thin routes that parse input, call the pipeline and render Pydantic schemas."""
