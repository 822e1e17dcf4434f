"""The nine key indicators of the EN CRECER (Figure 05): catalog, measurements, aggregation and targets."""
