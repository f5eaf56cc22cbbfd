"""User strategies: sandboxed WebAssembly modules (later also uploads and live deployments)."""
