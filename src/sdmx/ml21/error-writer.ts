/**
 * SDMX-ML 2.1 error message (`message:Error`, SDMXMessage.xsd ErrorType): one `ErrorMessage`
 * with the SDMX error code and an English text. The 2.1 error message has no header.
 */
import { XmlBuilder } from './xml.js';
import { NS21 } from './namespaces.js';

export function writeErrorMl21(err: { code: number; text: string }): string {
  return new XmlBuilder()
    .declaration()
    .open('message:Error', { 'xmlns:message': NS21.message, 'xmlns:common': NS21.common })
    .open('message:ErrorMessage', { code: String(err.code) })
    .leaf('common:Text', err.text, { 'xml:lang': 'en' })
    .close('message:ErrorMessage')
    .close('message:Error')
    .toString();
}
