/**
 * The SDMX-ML validators of test/helpers/validate.ts accept valid messages and FAIL on invalid
 * ones, for SDMX-ML 2.1 and 3.0. Every "valid against the official XSD" assertion in the suite
 * relies on this: a validator that accepted everything (a schema set that did not load, an
 * import it could not find, an error it did not report) would let them all pass.
 */
import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SDMX_SAMPLES, XSD_21 } from '../helpers/shared.js';
import { validateXml, validateXml21, validateXml30, validateXml301, validateXml30Official } from '../helpers/validate.js';

const ERROR_21 =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<message:Error xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">' +
  '<message:ErrorMessage code="100"><common:Text xml:lang="en">No results</common:Text></message:ErrorMessage></message:Error>\n';

const ERROR_30 = `<?xml version="1.0" encoding="UTF-8"?>
<message:Error xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common">
  <message:ErrorMessage code="100">
    <common:Text xml:lang="en">No results</common:Text>
  </message:ErrorMessage>
</message:Error>
`;

/** A 3.0 codelist whose code 0101 names the numeric parent 01 (the Code/Parent erratum). */
const CODELIST_30 = `<?xml version="1.0" encoding="UTF-8"?>
<message:Structure xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common" xmlns:structure="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/structure">
  <message:Header>
    <message:ID>IREF000001</message:ID>
    <message:Test>false</message:Test>
    <message:Prepared>2026-11-21T05:30:01Z</message:Prepared>
    <message:Sender id="TEST"/>
  </message:Header>
  <message:Structures>
    <structure:Codelists>
      <structure:Codelist urn="urn:sdmx:org.sdmx.infomodel.codelist.Codelist=TEST:CL_OFFENCE(1.0)" agencyID="TEST" id="CL_OFFENCE" version="1.0">
        <common:Name xml:lang="en">Offence</common:Name>
        <structure:Code id="01">
          <common:Name xml:lang="en">Acts leading to death or intending to cause death</common:Name>
        </structure:Code>
        <structure:Code id="0101">
          <common:Name xml:lang="en">Intentional homicide</common:Name>
          <structure:Parent>01</structure:Parent>
        </structure:Code>
      </structure:Codelist>
    </structure:Codelists>
  </message:Structures>
</message:Structure>
`;

/** Problems must be non-empty and all be strings (the tests print them). */
function rejects(t: Test, problems: string[], pattern: RegExp, what: string) {
  t.ok(problems.length > 0, `${what}: rejected`);
  t.ok(problems.every((p) => typeof p === 'string' && p.length > 0), `${what}: problems are text`);
  t.match(problems.join('\n'), pattern, `${what}: says why`);
}

t.test('SDMX-ML 2.1: valid messages pass, invalid ones fail', async (t) => {
  t.same(validateXml21(ERROR_21), [], 'an error message');
  const registry = readFileSync(path.join(SDMX_SAMPLES, 'validation/sdmx21-structure-ECB_EXR1-1.0.xml'), 'utf8');
  t.same(validateXml21(registry), [], 'a real registry structure message (all 2.1 schema files load)');

  rejects(t, validateXml21(ERROR_21.replace('<message:ErrorMessage', '<message:Bogus/><message:ErrorMessage')), /Schemas validity error.*Bogus.*not expected/, 'an unexpected element');
  rejects(t, validateXml21(ERROR_21.replace(' code="100"', '')), /attribute 'code' is required/, 'a missing required attribute');
  rejects(t, validateXml21(registry.replace(/(<[\w:]*Header>)/, '$1<bogus/>')), /element bogus: Schemas validity error/, 'a broken structure message');
  rejects(t, validateXml21(registry.replace(/<str:DataStructures>[\s\S]*<\/str:DataStructures>/, '<str:DataStructures/>')), /DataStructures/, 'an empty container');
  rejects(t, validateXml21('<foo/>'), /No matching global declaration/, 'not SDMX');
  rejects(t, validateXml21(ERROR_21.replace('</message:Error>', '')), /parser error/, 'not well-formed');
  rejects(t, validateXml21(''), /./, 'empty');
});

t.test('SDMX-ML 3.0: valid messages pass, invalid ones fail; the Code/Parent erratum', async (t) => {
  t.same(validateXml30Official(ERROR_30), [], 'an error message');
  rejects(t, validateXml30Official(ERROR_30.replace(' code="100"', '')), /attribute 'code' is required/, 'a missing required attribute');
  rejects(t, validateXml30Official(ERROR_30.replace('<common:Text', '<common:Txt').replace('</common:Text>', '</common:Txt>')), /Txt.*not expected/, 'an unknown element');
  rejects(t, validateXml30Official(ERROR_21), /No matching global declaration/, 'a 2.1 message');
  rejects(t, validateXml21(ERROR_30), /No matching global declaration/, 'a 3.0 message against 2.1');

  // 3.0.0 types Code/Parent as SingleNCNameIDType: the numeric parent fails, and only that, in
  // the words the structure writer test filters on; 3.0.1 and the patched 3.0 set accept it.
  const official = validateXml30Official(CODELIST_30);
  t.equal(official.length, 1, official.join('\n'));
  t.match(official[0], /element Parent: Schemas validity error .*\[facet 'pattern'\]/);
  t.same(validateXml30(CODELIST_30), [], 'the 3.0 set with the erratum fixed');
  t.same(validateXml301(CODELIST_30), [], 'the 3.0.1 set');
  rejects(t, validateXml301(CODELIST_30.replace('<structure:Parent>01</structure:Parent>', '<structure:Parent>0 1</structure:Parent>')), /Parent/, '3.0.1: a parent that is no id');
  rejects(t, validateXml30(CODELIST_30.replace(' version="1.0"', ' version="one"')), /version/, 'patched 3.0: a bad version');
});

t.test('schema problems are problems too, and a changed schema file is read again', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'validate-harness-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  rejects(t, validateXml(ERROR_21, path.join(dir, 'missing.xsd')), /cannot read the schema/, 'a schema that does not exist');

  const broken = path.join(dir, 'broken.xsd');
  writeFileSync(broken, '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:import namespace="urn:x" schemaLocation="nowhere.xsd"/><xs:element name="a" type="x:T" xmlns:x="urn:x"/></xs:schema>');
  rejects(t, validateXml('<a/>', broken), /failed to compile/, 'a schema whose import is missing');

  // A driver beside the official files, importing them by relative path (as the structure-specific tests do).
  const driver = path.join(dir, 'driver.xsd');
  const writeDriver = (element: string) =>
    writeFileSync(
      driver,
      '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:local:driver" xmlns="urn:local:driver" elementFormDefault="qualified">' +
        `<xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" schemaLocation="${path.relative(dir, XSD_21)}"/>` +
        `<xs:element name="${element}" type="xs:int"/></xs:schema>`,
    );
  writeDriver('a');
  t.same(validateXml('<a xmlns="urn:local:driver">1</a>', driver), []);
  t.same(validateXml(ERROR_21, driver), [], 'the imported message namespace is there');
  rejects(t, validateXml('<a xmlns="urn:local:driver">x</a>', driver), /not a valid value/, 'a wrong value');
  writeDriver('b');
  rejects(t, validateXml('<a xmlns="urn:local:driver">1</a>', driver), /No matching global declaration/, 'after the schema changed');
  t.same(validateXml('<b xmlns="urn:local:driver">1</b>', driver), []);
});
