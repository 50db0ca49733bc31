# Reads our SDMX 2.1 API as an R user who wants labelled data would: our server registered as
# an rsdmx service provider, readSDMX(..., dsd = TRUE), which takes the data set's structureRef
# for the DSD id and fetches /datastructure/all/{structureRef}/latest/?references=children, then
# as.data.frame(labels = TRUE). Prints what rsdmx resolved for test/e2e/rsdmx-dsd.test.ts.
#
# Usage: Rscript test/r/read-data-dsd.R <base url of the server> <flowRef> <key>
#
# Output, fields separated by a TAB:
#   DSDREF <the DSD id rsdmx read from the data message>
#   DSD <id of the DSD rsdmx fetched and bound>
#   COLUMNS <column names of the labelled data frame, comma-separated>
#   LABEL <column> <code> <label>   (one per distinct code, label column and language)
#   ROWS <number of rows>
#   DONE
# Any error ends the script with status 1 and an `ERROR` line on stderr.

suppressPackageStartupMessages(library(rsdmx))

fail <- function(msg) {
  writeLines(paste("ERROR", msg), con = stderr())
  quit(status = 1)
}

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) fail("usage: read-data-dsd.R <base url> <flowRef> <key>")
base <- paste0(args[[1]], "/sdmx/2.1")

provider <- SDMXServiceProvider(
  agencyId = "ICCS_TEST", name = "ICCS SDMX server under test",
  builder = SDMXREST21RequestBuilder(regUrl = base, repoUrl = base, compliant = TRUE)
)
addSDMXServiceProvider(provider)

sdmx <- tryCatch(
  readSDMX(providerId = "ICCS_TEST", resource = "data", flowRef = args[[2]], key = args[[3]], dsd = TRUE),
  error = function(e) fail(conditionMessage(e))
)
cat("DSDREF", slot(sdmx, "dsdRef"), sep = "\t")
cat("\n")
dsd <- slot(sdmx, "dsd")
if (is.null(dsd)) fail("rsdmx bound no DSD to the data")
structures <- slot(slot(dsd, "datastructures"), "datastructures")
cat("DSD", if (length(structures) > 0) slot(structures[[1]], "id") else "", sep = "\t")
cat("\n")

df <- tryCatch(as.data.frame(sdmx, labels = TRUE), error = function(e) fail(conditionMessage(e)))
cat("COLUMNS", paste(colnames(df), collapse = ","), sep = "\t")
cat("\n")
for (column in colnames(df)) {
  if (!grepl("_label\\.", column)) next
  code <- sub("_label\\..*$", "", column)
  pairs <- unique(df[, c(code, column)])
  for (r in seq_len(nrow(pairs))) {
    cat("LABEL", column, as.character(pairs[r, 1]), as.character(pairs[r, 2]), sep = "\t")
    cat("\n")
  }
}
cat("ROWS", nrow(df), sep = "\t")
cat("\n")
cat("DONE\n")
