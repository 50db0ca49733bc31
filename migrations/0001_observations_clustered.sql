-- Observations stored in primary-key order (series, period, release): a query reads the rows of
-- a series as one contiguous range instead of one table lookup per row (WITHOUT ROWID makes the
-- primary key the table itself). drizzle's schema cannot say WITHOUT ROWID, hence a custom step.
CREATE TABLE `observations_clustered` (
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
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `observations_clustered` SELECT `series_pk`, `release_pk`, `time_period`, `period_start`, `period_end`, `value`, `attributes`, `deleted` FROM `observations`;
--> statement-breakpoint
DROP TABLE `observations`;
--> statement-breakpoint
ALTER TABLE `observations_clustered` RENAME TO `observations`;
--> statement-breakpoint
CREATE INDEX `observations_release` ON `observations` (`release_pk`);
