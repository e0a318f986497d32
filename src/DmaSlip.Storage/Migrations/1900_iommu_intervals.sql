-- Issue 19: every C_iommu carries its 95 % interval and method; the overlay's Δ̂IS_mean, Δ̂IS_q95 and IS_hat_final
-- are stored beside IS_hat_baseline; the fit's aggregate C_iommu per scope (a pool, or "all") with its interval.
ALTER TABLE parent_outcomes ADD COLUMN c_iommu_low_bps DOUBLE;
ALTER TABLE parent_outcomes ADD COLUMN c_iommu_high_bps DOUBLE;
ALTER TABLE parent_outcomes ADD COLUMN iommu_method VARCHAR;
ALTER TABLE parent_outcomes ADD COLUMN delta_is_mean_bps DOUBLE;
ALTER TABLE parent_outcomes ADD COLUMN delta_is_q95_bps DOUBLE;
ALTER TABLE parent_outcomes ADD COLUMN is_hat_final_bps DOUBLE;

CREATE TABLE iommu_estimates (
    scope VARCHAR NOT NULL PRIMARY KEY, computed_ns BIGINT NOT NULL, parents INTEGER NOT NULL, mean_bps DOUBLE NOT NULL,
    low_bps DOUBLE NOT NULL, high_bps DOUBLE NOT NULL, method VARCHAR NOT NULL, resolved BOOLEAN NOT NULL,
    mde_bps DOUBLE NOT NULL, parents_needed INTEGER);
