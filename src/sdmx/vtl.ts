/**
 * VTL 2.0 text as our VTL artefacts write it, and the small reading of it that checks need. Pure.
 *
 * - Names (`vtlName`): a VTL regular name starts with a letter and holds letters, digits and `_`
 *   (VTL 2.0 User Manual, "The names"; the IDENTIFIER token of the VTL 2.0 grammar); any other
 *   name, such as the codes `_T`, `0101` or `001`, is written between single quotes. A regular
 *   name that is a VTL keyword (the grammar's tokens are lower case: `and`, `in`, `sub`...) is
 *   quoted too.
 * - Hierarchical rulesets (`hierarchicalRuleset`) follow the grammar's `defHierarchical`:
 *   `define hierarchical ruleset NAME ( variable rule VARIABLE ) is RULE ; RULE ... end
 *   hierarchical ruleset`, each rule `NAME : CODE op CODE + CODE ... errorcode "..." errorlevel N`.
 * - `parseHierarchicalRuleset` reads back exactly that form (not VTL in general), so tests can
 *   compare what a ruleset says with the relations it was made from.
 */
import type { MaintainableBase, VtlMapping, VtlSchemeClass } from './model.js';
import { VTL_ITEM_CLASS_OF } from './model.js';

/** The VTL version our VTL artefacts follow. */
export const VTL_VERSION = '2.0';

/** Lower-case words of the VTL 2.0 grammar (VtlTokens.g4) that cannot be unquoted names. */
const KEYWORDS = new Set(
  (
    'abs aggr all always_null always_zero and apply as asc attribute avg between boolean by calc case cast ceil ' +
    'charset_match check check_datapoint check_hierarchy component components computed concat condition count ' +
    'cross_join current current_date data dataset dataset_priority datapoint date define desc diff drop duration ' +
    'else end errorcode errorlevel eval exists_in exp false fill_time_series filter first first_value floor ' +
    'flow_to_stock following from full_join group having hierarchical hierarchy identifier if imbalance in ' +
    'inner_join instr integer intersect invalid is isnull keep key lag language last last_value lead left_join ' +
    'length ln log lower ltrim match_characters max measure median min mod no_measures non_null non_zero not ' +
    'not_in null number nvl on operator or order over partial_null partial_zero partition period_indicator pivot ' +
    'power preceding random range rank ratio_to_report rename replace returns round rows rtrim rule rule_priority ' +
    'ruleset scalar set setdiff single sqrt stddev_pop stddev_samp stock_to_flow string sub substr sum symdiff ' +
    'then time time_agg time_period timeshift to trim true trunc unbounded union unpivot upper using valuedomain ' +
    'var_pop var_samp variable viral when with xor'
  ).split(' '),
);

const REGULAR = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A name as VTL writes it: as is when regular, else between single quotes. */
export function vtlName(name: string): string {
  if (name.includes("'")) throw new Error(`a VTL name cannot hold a single quote: ${name}`);
  return REGULAR.test(name) && !KEYWORDS.has(name) ? name : `'${name}'`;
}

/** A VTL string literal (double quotes; VTL 2.0 has no escape inside them). */
export function vtlString(text: string): string {
  if (text.includes('"')) throw new Error(`a VTL string cannot hold a double quote: ${text}`);
  return `"${text}"`;
}

/** URN of an item of a VTL scheme, e.g. urn:sdmx:org.sdmx.infomodel.transformation.Ruleset=UNODC:RS_CTS(1.0).HR_SEX_TOTAL. */
export function vtlItemUrn(scheme: Pick<MaintainableBase, 'agencyID' | 'id' | 'version'> & { class: VtlSchemeClass }, id: string): string {
  return `urn:sdmx:org.sdmx.infomodel.transformation.${VTL_ITEM_CLASS_OF[scheme.class]}=${scheme.agencyID}:${scheme.id}(${scheme.version}).${id}`;
}

/**
 * URN of a VTL item as SDMX 3.0 names it: as in 2.1, except that a VTL mapping takes the class of
 * what it maps (VtlDataflowMapping, VtlCodelistMapping, VtlConceptMapping: the 3.0 XSD's
 * VtlMappingUrnType and the SDMX-JSON 2.0.0 URN pattern know no plain VtlMapping).
 */
export function vtlItemUrn30(scheme: Parameters<typeof vtlItemUrn>[0], item: { id: string } & Partial<Pick<VtlMapping, 'dataflow' | 'codelist' | 'concept'>>): string {
  const urn = vtlItemUrn(scheme, item.id);
  if (scheme.class !== 'VtlMappingScheme') return urn;
  const kind = item.dataflow ? 'VtlDataflowMapping' : item.codelist ? 'VtlCodelistMapping' : 'VtlConceptMapping';
  return urn.replace('.VtlMapping=', `.${kind}=`);
}

// ---------------------------------------------------------------------------------------------
// Hierarchical rulesets

export interface HierarchicalRule {
  readonly name: string;
  /** The left-hand code item. */
  readonly parent: string;
  readonly operator: '=' | '>=' | '<=' | '>' | '<';
  /** The right-hand code items, all added (`+`). */
  readonly children: readonly string[];
  readonly errorCode: string;
  readonly errorLevel: number;
}

export interface HierarchicalRuleset {
  readonly name: string;
  /** The variable the ruleset is defined on (`variable rule VARIABLE`). */
  readonly variable: string;
  readonly rules: readonly HierarchicalRule[];
}

/** The text of a hierarchical ruleset defined on a variable; one rule per line. */
export function hierarchicalRuleset(r: HierarchicalRuleset): string {
  const rules = r.rules.map(
    (rule) =>
      `  ${vtlName(rule.name)} : ${vtlName(rule.parent)} ${rule.operator} ${rule.children.map(vtlName).join(' + ')}` +
      ` errorcode ${vtlString(rule.errorCode)} errorlevel ${rule.errorLevel}`,
  );
  return `define hierarchical ruleset ${vtlName(r.name)} ( variable rule ${vtlName(r.variable)} ) is\n${rules.join(' ;\n')}\nend hierarchical ruleset`;
}

/** Tokens of the VTL subset our rulesets and transformations use. */
export function vtlTokens(text: string): string[] {
  const out: string[] = [];
  const re = /\s*('[^']*'|"[^"]*"|:=|<-|>=|<=|<>|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[()[\]{},;:=<>+\-*/#])/y;
  let pos = 0;
  const rest = /\s*$/y;
  while (pos < text.length) {
    rest.lastIndex = pos;
    if (rest.test(text) && rest.lastIndex === text.length) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new Error(`unexpected VTL text at ${pos}: ${text.slice(pos, pos + 30)}`);
    out.push(m[1]!);
    pos = re.lastIndex;
  }
  return out;
}

/** A name token without its quotes. */
export function unquote(token: string): string {
  return token.startsWith("'") ? token.slice(1, -1) : token;
}

/** Reads back what `hierarchicalRuleset` writes; throws on anything else. */
export function parseHierarchicalRuleset(text: string): HierarchicalRuleset {
  const t = vtlTokens(text);
  let i = 0;
  const expect = (...words: string[]) => {
    for (const w of words) {
      if (t[i] !== w) throw new Error(`expected "${w}" at token ${i}, found "${t[i] ?? 'end'}"`);
      i += 1;
    }
  };
  const name = (): string => {
    const tok = t[i++];
    if (tok === undefined || !(REGULAR.test(tok) || tok.startsWith("'"))) throw new Error(`expected a name at token ${i - 1}, found "${tok}"`);
    return unquote(tok);
  };
  expect('define', 'hierarchical', 'ruleset');
  const rulesetName = name();
  expect('(', 'variable', 'rule');
  const variable = name();
  expect(')', 'is');
  const rules: HierarchicalRule[] = [];
  for (;;) {
    const ruleName = name();
    expect(':');
    const parent = name();
    const operator = t[i++] as HierarchicalRule['operator'];
    if (!['=', '>=', '<=', '>', '<'].includes(operator)) throw new Error(`rule ${ruleName}: "${operator}" is not a comparison`);
    const children = [name()];
    while (t[i] === '+') {
      i += 1;
      children.push(name());
    }
    expect('errorcode');
    const code = t[i++] ?? '';
    if (!code.startsWith('"')) throw new Error(`rule ${ruleName}: errorcode is not a string`);
    expect('errorlevel');
    const level = Number(t[i++]);
    if (!Number.isInteger(level)) throw new Error(`rule ${ruleName}: errorlevel is not an integer`);
    rules.push({ name: ruleName, parent, operator, children, errorCode: code.slice(1, -1), errorLevel: level });
    if (t[i] === ';') {
      i += 1;
      continue;
    }
    break;
  }
  expect('end', 'hierarchical', 'ruleset');
  if (i !== t.length) throw new Error(`text after the end of the ruleset: ${t.slice(i).join(' ')}`);
  return { name: rulesetName, variable, rules };
}
