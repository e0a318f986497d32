-- Issue 18: a frame no invalidation/map source covered (a live host whose only per-queue input is its interrupt
-- vectors) has no flush, map or unmap rate: null, with host_frame_sources saying what fed it, never a 0 that looks
-- like a measured quiet window.
ALTER TABLE host_frames ALTER COLUMN flush_rate DROP NOT NULL;
ALTER TABLE host_frames ALTER COLUMN map_rate DROP NOT NULL;
ALTER TABLE host_frames ALTER COLUMN unmap_rate DROP NOT NULL;
