// Quant-Trader strategy SDK for AssemblyScript (ABI v1). See README.md.
export * from "./abi";
export * from "./ring";
export * from "./indicators";
export * from "./window";
