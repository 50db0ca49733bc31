/**
 * SDMX-ML 3.0.0 error message (`message:Error`, SDMXMessage.xsd 3.0): one ErrorMessage whose
 * required `code` is the SDMX error code (REST 1.5 4_7_errors.md) and whose Text is English.
 * Unlike 2.1, the 3.0 Error message has no Header.
 */
import { NS_COMMON_30, NS_MESSAGE_30 } from './namespaces.js';
import { el, renderDocument, textEl } from './xml-text.js';

export function writeErrorMl30(err: { code: number; text: string }): string {
  return renderDocument(
    el(
      'message:Error',
      { 'xmlns:message': NS_MESSAGE_30, 'xmlns:common': NS_COMMON_30 },
      el('message:ErrorMessage', { code: err.code }, textEl('common:Text', err.text, { 'xml:lang': 'en' })),
    ),
  );
}
