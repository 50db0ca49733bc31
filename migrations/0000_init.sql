CREATE TABLE `observations` (
	`series_pk` integer NOT NULL,
	`release_pk` integer NOT NULL,
	`time_period` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`value` real,
	`attributes` text DEFAULT '{}' NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`series_pk`, `time_period`, `release_pk`),
	FOREIGN KEY (`series_pk`) REFERENCES `series`(`pk`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`release_pk`) REFERENCES `releases`(`pk`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `observations_release` ON `observations` (`release_pk`);--> statement-breakpoint
CREATE TABLE `release_dataflows` (
	`release_pk` integer NOT NULL,
	`dataflow` text NOT NULL,
	PRIMARY KEY(`release_pk`, `dataflow`),
	FOREIGN KEY (`release_pk`) REFERENCES `releases`(`pk`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `releases` (
	`pk` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`title` text NOT NULL,
	`state` text NOT NULL,
	`announced_at` text,
	`published_at` text,
	`revises_pk` integer,
	`created_at` text NOT NULL,
	`note` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `releases_code` ON `releases` (`code`);--> statement-breakpoint
CREATE INDEX `releases_state_announced` ON `releases` (`state`,`announced_at`);--> statement-breakpoint
CREATE TABLE `series` (
	`pk` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dataflow` text NOT NULL,
	`provider` text NOT NULL,
	`series_key` text NOT NULL,
	`dimensions` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `series_identity` ON `series` (`dataflow`,`series_key`);--> statement-breakpoint
CREATE TABLE `structure_artefacts` (
	`pk` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`class` text NOT NULL,
	`agency_id` text NOT NULL,
	`artefact_id` text NOT NULL,
	`version` text NOT NULL,
	`is_final` integer NOT NULL,
	`body` text NOT NULL,
	`sha256` text NOT NULL,
	`source` text NOT NULL,
	`stored_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `structure_artefacts_identity` ON `structure_artefacts` (`agency_id`,`artefact_id`,`version`);