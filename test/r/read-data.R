# Reads our SDMX 2.1 data API with the real rsdmx package, as an R user would
# (readSDMX(url) then as.data.frame), and prints every observation rsdmx understood as
# machine-readable lines for test/e2e/rsdmx-data.test.ts.
#
# Usage: Rscript test/r/read-data.R <label> <url> [<label> <url> ...]
#
# Output, fields separated by a TAB:
#   COLUMNS <label> <column names of the data frame, comma-separated>
#   ROWS <label> <number of rows>
#   OBS <label> <FREQ.REF_AREA...UNIT_MEASURE key> <obsTime> <obsValue>   (one per row)
#   DONE
# Any error ends the script with status 1 and an `ERROR` line on stderr.

suppressPackageStartupMessages(library(rsdmx))

fail <- function(msg) {
  writeLines(paste("ERROR", msg), con = stderr())
  quit(status = 1)
}

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2 || length(args) %% 2 != 0) fail("usage: read-data.R <label> <url> [<label> <url> ...]")

dims <- c("FREQ", "REF_AREA", "INDICATOR", "OFFENCE", "SEX", "AGE", "DISAGGREGATION", "UNIT_MEASURE")

for (i in seq(1, length(args), by = 2)) {
  label <- args[[i]]
  url <- args[[i + 1]]
  sdmx <- tryCatch(readSDMX(url), error = function(e) fail(paste(label, conditionMessage(e))))
  df <- as.data.frame(sdmx)
  writeLines(paste("COLUMNS", label, paste(colnames(df), collapse = ","), sep = "\t"))
  writeLines(paste("ROWS", label, nrow(df), sep = "\t"))
  # Generic data gives obsTime/obsValue columns; structure-specific data the DSD's own ids.
  time <- if ("obsTime" %in% colnames(df)) "obsTime" else "TIME_PERIOD"
  value <- if ("obsValue" %in% colnames(df)) "obsValue" else "OBS_VALUE"
  missing <- setdiff(c(dims, time, value), colnames(df))
  if (length(missing) > 0) fail(paste(label, "columns missing from the data frame:", paste(missing, collapse = ",")))
  keys <- do.call(paste, c(lapply(dims, function(d) as.character(df[[d]])), sep = "."))
  values <- format(as.numeric(df[[value]]), digits = 17, scientific = FALSE, trim = TRUE)
  writeLines(paste("OBS", label, keys, as.character(df[[time]]), values, sep = "\t"))
}
writeLines("DONE")
