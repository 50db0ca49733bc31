CREATE TABLE `protection_rules` (
	`dataflow` text PRIMARY KEY NOT NULL,
	`rules` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
CREATE TABLE `protection_runs` (
	`release_pk` integer NOT NULL,
	`dataflow` text NOT NULL,
	`ran_at` text NOT NULL,
	`ran_by` text,
	`method` text NOT NULL,
	`rules` text NOT NULL,
	`summary` text NOT NULL,
	`audit` text NOT NULL,
	`passed` integer NOT NULL,
	PRIMARY KEY(`release_pk`, `dataflow`),
	FOREIGN KEY (`release_pk`) REFERENCES `releases`(`pk`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `release_events` (
	`pk` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`release_pk` integer NOT NULL,
	`at` text NOT NULL,
	`kind` text NOT NULL,
	`announced_at` text,
	`previous_announced_at` text,
	`reason` text,
	`actor` text,
	FOREIGN KEY (`release_pk`) REFERENCES `releases`(`pk`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `release_events_release` ON `release_events` (`release_pk`);--> statement-breakpoint
CREATE TABLE `suppressed_cells` (
	`release_pk` integer NOT NULL,
	`series_pk` integer NOT NULL,
	`time_period` text NOT NULL,
	`kind` text NOT NULL,
	`value` real,
	`attributes` text NOT NULL,
	PRIMARY KEY(`release_pk`, `series_pk`, `time_period`),
	FOREIGN KEY (`release_pk`) REFERENCES `releases`(`pk`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`series_pk`) REFERENCES `series`(`pk`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `releases` ADD `first_announced_at` text;