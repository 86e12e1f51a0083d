/** Writing YAML text: plain scalars where YAML allows them, quotes where it needs them. */

const RESERVED =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)$/;
const NUMBER_LIKE = /^[-+]?(?:\.?[0-9][0-9_.:eE+-]*|\.inf|\.nan|0x[0-9a-fA-F_]+|0o[0-7_]+)$/i;

/** `s` as a YAML 1.1 plain scalar when that reads back as the same string, else double-quoted. */
export function yamlString(s: string): string {
  const plainOk =
    s.length > 0 &&
    s === s.trim() &&
    !RESERVED.test(s) &&
    !NUMBER_LIKE.test(s) &&
    !/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) &&
    !/: |:$| #|[\n\r\t]/.test(s) &&
    !/[,[\]{}]/.test(s);
  return plainOk ? s : JSON.stringify(s);
}
