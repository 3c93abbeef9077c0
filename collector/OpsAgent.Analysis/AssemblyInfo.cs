// OpsAgent.Analysis holds the pure algorithms of the product: detectors, forecasters, drift tests,
// template mining and the canary judge. No I/O, no clocks, deterministic: data in, results out.
