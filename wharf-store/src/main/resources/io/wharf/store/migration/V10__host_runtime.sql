-- The container runtime each host's agent runs, so that placement puts an image only where it can run.
ALTER TABLE hosts ADD COLUMN runtime VARCHAR(16) DEFAULT 'process' NOT NULL;
