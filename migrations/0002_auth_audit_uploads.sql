CREATE TABLE `api_tokens` (
	`pk` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_id` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`secret_hash` text NOT NULL,
	`dataflows` text DEFAULT '[]' NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text,
	`expires_at` text,
	`revoked_at` text,
	`last_used_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_id` ON `api_tokens` (`token_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_secret_hash` ON `api_tokens` (`secret_hash`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`pk` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor` text,
	`role` text,
	`action` text NOT NULL,
	`target` text,
	`outcome` text NOT NULL,
	`client` text,
	`detail` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_events_at` ON `audit_events` (`at`);--> statement-breakpoint
CREATE INDEX `audit_events_actor` ON `audit_events` (`actor`);--> statement-breakpoint
CREATE TABLE `uploads` (
	`pk` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`upload_id` text NOT NULL,
	`release_pk` integer NOT NULL,
	`dataflow` text NOT NULL,
	`provider` text NOT NULL,
	`format` text NOT NULL,
	`sha256` text NOT NULL,
	`bytes` integer NOT NULL,
	`series` integer NOT NULL,
	`observations` integer NOT NULL,
	`mapping` text,
	`uploaded_by` text NOT NULL,
	`uploaded_at` text NOT NULL,
	FOREIGN KEY (`release_pk`) REFERENCES `releases`(`pk`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uploads_upload_id` ON `uploads` (`upload_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `uploads_content` ON `uploads` (`release_pk`,`dataflow`,`sha256`);