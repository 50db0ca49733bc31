CREATE TABLE `metadata_sets` (
	`pk` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`set_id` text NOT NULL,
	`agency_id` text NOT NULL,
	`version` text NOT NULL,
	`metadataflow` text NOT NULL,
	`dataflow` text NOT NULL,
	`area` text,
	`release_code` text,
	`source` text NOT NULL,
	`body` text NOT NULL,
	`sha256` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `metadata_sets_identity` ON `metadata_sets` (`agency_id`,`set_id`,`version`);--> statement-breakpoint
CREATE INDEX `metadata_sets_target` ON `metadata_sets` (`dataflow`,`area`);