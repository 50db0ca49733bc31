# Reads our SDMX 2.1 structure API with the real rsdmx package, the way an R user would, and
# prints what rsdmx understood as machine-readable lines for test/e2e/rsdmx.test.ts.
#
# Usage: Rscript test/r/read-structures.R <base>/sdmx/2.1 [agency] [dsd] [codelist] [version] [hcl] [hcl codelist]
#        (defaults: UNODC DSD_CTS CL_ICCS 1.0 HCL_DISAGGREGATION CL_DISAGGREGATION)
#
# Output, one fact per line, fields separated by a TAB (labels contain spaces):
#   RSDMX_VERSION <v>           RSDMX_READS_21_PARENT TRUE|FALSE
#   DATAFLOWS <n>               DATAFLOW <id> agency=<a> version=<v> dsd=<dsd id> en=<name>
#   DSD <id> agency=<a>         DIMENSION <concept id> codelist=<codelist id>   (in DSD order)
#   TIME_DIMENSION <concept id> PRIMARY_MEASURE <concept id>   ATTRIBUTE <concept id>
#   CODELIST <id> <number of codes>   (codelists returned with the DSD)
#   ICCS_ROWS <n>               CODE <id> parent=<id or NA> en=<label> es=<label>  (every row)
#   DESCRIPTION <id> en=<the code's English description or NA>  (every code; line breaks as spaces)
#   HCL_READ TRUE class=<rsdmx class> | HCL_READ FALSE reason=<rsdmx's error>
#   MIXED <message> class=<rsdmx class>   (messages holding HCLs beside other structures)
#   MIXED_CODELIST <message> <id> <number of codes>   MIXED_DSD <message> <id>
#   DONE
# Any error ends the script with status 1 and an `ERROR` line on stderr.
#
# Choices:
# - Dataflows and the DSD are read through a service provider built with rsdmx's own SDMX REST
#   2.1 request builder (what `readSDMX(providerId = ...)` users do); rsdmx has no `codelist`
#   resource, so the codelist is read from its URL.
# - rsdmx keeps no dimension id for SDMX 2.1: SDMXDimension holds the id of the
#   ConceptIdentity Ref (conceptRef) and of the Enumeration Ref (codelist). Those are printed.
# - rsdmx <= 0.6-2 reads a code's parent only from the SDMX 2.0 `parentCode` attribute; the 2.1
#   `<str:Parent><Ref id=".."/></str:Parent>` is read by later versions (SDMXCode-methods.R,
#   `//ns:Parent//Ref`). RSDMX_READS_21_PARENT says which one is installed, so the test knows
#   whether `parent=NA` is a failure.
# - Hierarchical codelists: rsdmx <= 0.6-2 has no class for them and refuses a message that
#   holds only HCLs ("Unsupported SDMX Type 'HierarchicalCodelistsType'"); HCL_READ says what the
#   installed rsdmx does. Messages that hold HCLs beside codelists and DSDs (a codelist with
#   references=parents, structure/all) must still be read: MIXED lines list what rsdmx found in
#   them.
# - Output is written as UTF-8 bytes whatever the locale (Spanish labels).

suppressPackageStartupMessages(library(rsdmx))

out <- function(...) {
  fields <- vapply(list(...), function(x) {
    x <- if (length(x) == 0 || is.null(x)) "NA" else as.character(x[[1]])
    if (is.na(x)) x <- "NA"
    gsub("[\t\r\n]+", " ", enc2utf8(x))
  }, character(1))
  writeLines(paste(fields, collapse = "\t"), con = stdout(), useBytes = TRUE)
}

fail <- function(msg) {
  writeLines(paste("ERROR", enc2utf8(msg)), con = stderr(), useBytes = TRUE)
  quit(save = "no", status = 1)
}

expect_class <- function(obj, cls, what) {
  if (!is(obj, cls)) {
    fail(sprintf("%s: rsdmx returned %s, expected %s", what, paste(class(obj), collapse = "/"), cls))
  }
  obj
}

main <- function(args) {
  if (length(args) < 1) fail("usage: read-structures.R <base>/sdmx/2.1 [agency] [dsd] [codelist] [version]")
  base <- sub("/+$", "", args[[1]])
  agency <- if (length(args) >= 2) args[[2]] else "UNODC"
  dsdId <- if (length(args) >= 3) args[[3]] else "DSD_CTS"
  clId <- if (length(args) >= 4) args[[4]] else "CL_ICCS"
  version <- if (length(args) >= 5) args[[5]] else "1.0"
  hclId <- if (length(args) >= 6) args[[6]] else "HCL_DISAGGREGATION"
  hclCodelistId <- if (length(args) >= 7) args[[7]] else "CL_DISAGGREGATION"

  out("RSDMX_VERSION", as.character(packageVersion("rsdmx")))
  reads21Parent <- any(grepl("Parent", deparse(body(rsdmx::SDMXCode)), fixed = TRUE))
  out("RSDMX_READS_21_PARENT", reads21Parent)

  providerId <- "ICCS_E2E"
  addSDMXServiceProvider(SDMXServiceProvider(
    agencyId = providerId, name = "ICCS SDMX server under test",
    builder = SDMXREST21RequestBuilder(regUrl = base, repoUrl = base, compliant = TRUE)
  ))

  # (a) all dataflows: GET <base>/dataflow/all/all/latest/
  flows <- expect_class(readSDMX(providerId = providerId, resource = "dataflow", verbose = FALSE),
                        "SDMXDataFlows", "dataflow")
  flowsDf <- as.data.frame(flows)
  out("DATAFLOWS", if (is.null(flowsDf)) 0 else nrow(flowsDf))
  if (!is.null(flowsDf) && nrow(flowsDf) > 0) {
    for (i in seq_len(nrow(flowsDf))) {
      row <- flowsDf[i, , drop = FALSE]
      en <- if ("Name.en" %in% names(row)) row[["Name.en"]] else NA
      out("DATAFLOW", row[["id"]], paste0("agency=", row[["agencyID"]]), paste0("version=", row[["version"]]),
          paste0("dsd=", row[["dsdRef"]]), paste0("en=", en))
    }
  }

  # (b) the DSD and its children: GET <base>/datastructure/<agency>/<dsd>/<version>/?references=children
  dsdMsg <- expect_class(
    readSDMX(providerId = providerId, resource = "datastructure", agencyId = agency,
             resourceId = dsdId, version = version, verbose = FALSE),
    "SDMXDataStructureDefinition", "datastructure")
  structures <- slot(slot(dsdMsg, "datastructures"), "datastructures")
  matches <- Filter(function(ds) identical(slot(ds, "id"), dsdId), structures)
  if (length(matches) != 1) fail(sprintf("datastructure: expected one %s, rsdmx found %d", dsdId, length(matches)))
  ds <- matches[[1]]
  out("DSD", slot(ds, "id"), paste0("agency=", slot(ds, "agencyID")))
  components <- slot(ds, "Components")
  if (is.null(components)) fail("datastructure: rsdmx found no DataStructureComponents")
  for (dim in slot(components, "Dimensions")) {
    out("DIMENSION", slot(dim, "conceptRef"), paste0("codelist=", slot(dim, "codelist")))
  }
  td <- slot(components, "TimeDimension")
  if (!is.null(td)) out("TIME_DIMENSION", slot(td, "conceptRef"))
  pm <- slot(components, "PrimaryMeasure")
  if (!is.null(pm)) out("PRIMARY_MEASURE", slot(pm, "conceptRef"))
  for (at in slot(components, "Attributes")) out("ATTRIBUTE", slot(at, "conceptRef"))
  for (cl in slot(slot(dsdMsg, "codelists"), "codelists")) {
    out("CODELIST", slot(cl, "id"), length(slot(cl, "Code")))
  }

  # (c) the ICCS codelist: GET <base>/codelist/<agency>/<codelist>/<version>
  clUrl <- sprintf("%s/codelist/%s/%s/%s", base, agency, clId, version)
  clMsg <- expect_class(readSDMX(clUrl, verbose = FALSE), "SDMXCodelists", "codelist")
  codes <- as.data.frame(clMsg)
  if (is.null(codes)) fail("codelist: as.data.frame returned nothing")
  out("ICCS_ROWS", nrow(codes))
  column <- function(name) if (name %in% names(codes)) as.character(codes[[name]]) else rep(NA_character_, nrow(codes))
  # as.data.frame drops all-NA columns (ignore.empty.slots), e.g. parentCode on rsdmx 0.6-2.
  parent <- column("parentCode")
  en <- column("label.en")
  es <- column("label.es")
  for (i in seq_len(nrow(codes))) {
    out("CODE", codes[["id"]][[i]], paste0("parent=", parent[[i]]), paste0("en=", en[[i]]), paste0("es=", es[[i]]))
  }
  # The ICCS's description of each category, as R users get it: the code's Description (rsdmx
  # keeps no annotations, so the inclusions and exclusions are not read). Taken from the code
  # objects, whose slot is named the same in every rsdmx version (as.data.frame names the column
  # differently across versions).
  for (code in slot(slot(clMsg, "codelists")[[1]], "Code")) {
    d <- slot(code, "description")[["en"]]
    out("DESCRIPTION", slot(code, "id"), paste0("en=", if (is.null(d)) NA_character_ else d))
  }

  # (d) a hierarchical codelist: GET <base>/hierarchicalcodelist/<agency>/<hcl>/<version>
  hclUrl <- sprintf("%s/hierarchicalcodelist/%s/%s/%s", base, agency, hclId, version)
  hcl <- tryCatch(readSDMX(hclUrl, verbose = FALSE), error = function(e) e)
  if (inherits(hcl, "error")) {
    out("HCL_READ", FALSE, paste0("reason=", conditionMessage(hcl)))
  } else {
    out("HCL_READ", TRUE, paste0("class=", class(hcl)[[1]]))
  }

  # (e) messages holding HCLs beside other structures
  mixed <- list(
    parents = sprintf("%s/codelist/%s/%s/%s?references=parents", base, agency, hclCodelistId, version),
    all = sprintf("%s/structure/all/all/all", base)
  )
  for (name in names(mixed)) {
    msg <- readSDMX(mixed[[name]], verbose = FALSE)
    out("MIXED", name, paste0("class=", class(msg)[[1]]))
    if (is(msg, "SDMXDataStructureDefinition")) {
      for (cl in slot(slot(msg, "codelists"), "codelists")) out("MIXED_CODELIST", name, slot(cl, "id"), length(slot(cl, "Code")))
      for (ds in slot(slot(msg, "datastructures"), "datastructures")) out("MIXED_DSD", name, slot(ds, "id"))
    }
  }
  out("DONE")
}

tryCatch(main(commandArgs(trailingOnly = TRUE)), error = function(e) fail(conditionMessage(e)))
