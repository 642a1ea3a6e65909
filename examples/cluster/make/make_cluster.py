#!/usr/bin/env python3
"""Makes the sample cluster folder examples/cluster/ (see its README.md).

A CUCM 12.5(1)SU3 cluster of two nodes, cucm-pub and cucm-sub, both TFTP, non-secure. Its ITL files
are written by `tlvfile` (usecallmanager.nz, https://github.com/usecallmanagernz/certutils), an
implementation of the TLV format independent of itl-model, from certificates made here with Python's
`cryptography` in CUCM's naming. The story the files tell:

  1. the cluster ran with a first TVS certificate on the publisher: the ITLs of that time are kept
     in history/ (a backup of each node's ITLFile.tlv);
  2. TVS was regenerated on the publisher: every node rebuilt its ITL; those are served now;
  3. a few phones were off during 2 and still hold the old ITL; two phones came from another
     cluster without their ITL being deleted (their hash is of that cluster's ITL, kept in make/
     only, so that no file of the folder explains it).

Usage, from the repository root, with `npm run build` done (for `itl-model show-itl`):

    python3 examples/cluster/make/make_cluster.py [PATH-TO-tlvfile]

PATH-TO-tlvfile defaults to /tmp/tlvfile/tlvfile. Private keys live in a temporary folder and are
deleted at the end: the files cannot be re-signed, only rebuilt with new keys.
"""
import datetime
import hashlib
import os
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(FOLDER))
TLVFILE = sys.argv[1] if len(sys.argv) > 1 else '/tmp/tlvfile/tlvfile'

DOMAIN = 'example.com'
PUB, SUB = 'cucm-pub', 'cucm-sub'
FOREIGN = 'cm-a.branch.example.net'

# The clock tlvfile reads for each file's TIMESTAMP (its build time): fixed, so the story's order shows.
BEFORE_REGEN = datetime.datetime(2024, 5, 14, 9, 0, 0, tzinfo=datetime.timezone.utc)
AFTER_REGEN = datetime.datetime(2024, 6, 3, 7, 30, 0, tzinfo=datetime.timezone.utc)

def name(cn, org):
    # C first, CN last in the DER, as CUCM writes its self-signed certificates' names.
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, 'US'),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, org['ST']),
        x509.NameAttribute(NameOID.LOCALITY_NAME, org['L']),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org['O']),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, org['OU']),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def serial():
    # 16 bytes as CUCM's serials: positive, first byte non-zero.
    raw = bytearray(os.urandom(16))
    raw[0] = (raw[0] & 0x7F) or 0x01
    return int.from_bytes(raw, 'big')


def self_signed(folder, file, cn, org, start, years):
    """Writes FILE.crt (certificate) and FILE.pem (certificate + private key) in folder."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(cn, org))
        .issuer_name(name(cn, org))
        .public_key(key.public_key())
        .serial_number(serial())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=365 * years))
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    with open(os.path.join(folder, file + '.crt'), 'wb') as f:
        f.write(pem)
    with open(os.path.join(folder, file + '.pem'), 'wb') as f:
        f.write(pem + key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def tlvfile_at(when, out, *args):
    """tlvfile --build OUT ARGS, with tlvfile's clock at `when` (the file's TIMESTAMP)."""
    wrapper = (
        'import runpy, sys, time\n'
        'at = float(sys.argv[1]); path = sys.argv[2]\n'
        'time.time = lambda: at\n'
        'sys.argv = [path] + sys.argv[3:]\n'
        'runpy.run_path(path, run_name="__main__")\n'
    )
    subprocess.run([sys.executable, '-c', wrapper, str(when.timestamp()), TLVFILE, '--build', out, *args],
                   check=True, cwd=os.path.dirname(out))


def parse(path):
    """tlvfile --parse PATH (TZ=UTC: it prints TIMESTAMP in local time); fails unless it says Valid signature."""
    text = subprocess.run([sys.executable, TLVFILE, '--parse', path], check=True, capture_output=True, text=True,
                          env={**os.environ, 'TZ': 'UTC'}).stdout
    if 'Valid signature' not in text:
        raise SystemExit(f'tlvfile does not verify {path}')
    return text


def sha1(path):
    with open(path, 'rb') as f:
        return hashlib.sha1(f.read()).hexdigest()


def main():
    org = {'OU': 'voice', 'O': 'Example', 'L': 'Raleigh', 'ST': 'NC'}
    other = {'OU': 'it', 'O': 'Example Branch', 'L': 'Austin', 'ST': 'TX'}
    start = BEFORE_REGEN - datetime.timedelta(days=400)
    for sub in ('tftp/' + PUB, 'tftp/' + SUB, 'history'):
        os.makedirs(os.path.join(FOLDER, sub), exist_ok=True)
    with tempfile.TemporaryDirectory() as keys:
        k = lambda f: os.path.join(keys, f)  # noqa: E731
        self_signed(keys, 'cm-pub', f'{PUB}.{DOMAIN}', org, start, 5)
        self_signed(keys, 'cm-sub', f'{SUB}.{DOMAIN}', org, start, 5)
        self_signed(keys, 'tvs-pub-old', f'{PUB}.{DOMAIN}', org, start, 5)
        self_signed(keys, 'tvs-pub', f'{PUB}.{DOMAIN}', org, AFTER_REGEN - datetime.timedelta(minutes=10), 5)
        self_signed(keys, 'tvs-sub', f'{SUB}.{DOMAIN}', org, start, 5)
        self_signed(keys, 'capf', 'CAPF-' + os.urandom(4).hex(), org, start, 5)
        self_signed(keys, 'itlr', f'ITLRECOVERY_{PUB}.{DOMAIN}', org, start, 20)
        self_signed(keys, 'f-cm', FOREIGN, other, start, 5)
        self_signed(keys, 'f-tvs', FOREIGN, other, start, 5)
        self_signed(keys, 'f-itlr', 'ITLRECOVERY_' + FOREIGN, other, start, 20)

        def itl(cm, tvs_pub):
            # 12.5: the cluster's ITLRecovery signs (tlvfile signs with the first --sast, so it is record 1).
            return ['--sast', k('itlr.pem'), '--sast', k(cm + '.crt'), '--tftp', k(cm + '.crt'),
                    '--capf', k('capf.crt'), '--tvs', k(tvs_pub + '.crt'), '--tvs', k('tvs-sub.crt')]

        day = BEFORE_REGEN.strftime('%Y-%m-%d')
        files = {
            'history-pub': (BEFORE_REGEN, os.path.join(FOLDER, 'history', f'{PUB}-ITLFile-{day}.tlv'), itl('cm-pub', 'tvs-pub-old')),
            'history-sub': (BEFORE_REGEN, os.path.join(FOLDER, 'history', f'{SUB}-ITLFile-{day}.tlv'), itl('cm-sub', 'tvs-pub-old')),
            'pub': (AFTER_REGEN, os.path.join(FOLDER, 'tftp', PUB, 'ITLFile.tlv'), itl('cm-pub', 'tvs-pub')),
            'sub': (AFTER_REGEN, os.path.join(HERE, f'{SUB}-ITLFile.tlv'), itl('cm-sub', 'tvs-pub')),
            'foreign': (BEFORE_REGEN, os.path.join(HERE, 'foreign-ITLFile.tlv'),
                        ['--sast', k('f-cm.pem'), '--tftp', k('f-cm.crt'), '--tvs', k('f-tvs.crt'),
                         '--sast', k('f-itlr.crt')]),
        }
        for when, out, args in files.values():
            # tlvfile writes the base name of its output as the header FILENAME: build as ITLFile.tlv, then move.
            tmp = os.path.join(keys, 'ITLFile.tlv')
            tlvfile_at(when, tmp, *args)
            os.replace(tmp, out)
    # The private keys are gone with the temporary folder.

    parsed = []
    for label, (_, out, _) in files.items():
        parsed.append(f'==> {os.path.relpath(out, FOLDER)} ({label}) sha1 {sha1(out)}\n{parse(out)}')
    with open(os.path.join(HERE, 'tlvfile-parse.txt'), 'w') as f:
        f.write('\n'.join(parsed))

    # The subscriber's file is in the folder only as the listing itl-model prints for it.
    listing = subprocess.run(['node', os.path.join(REPO, 'bin', 'itl-model.mjs'), 'show-itl', files['sub'][1]],
                             check=True, capture_output=True, text=True).stdout
    with open(os.path.join(FOLDER, 'tftp', SUB, 'show-itl.txt'), 'w') as f:
        f.write(listing)

    h = {label: sha1(out) for label, (_, out, _) in files.items()}
    colons = ':'.join(h['sub'][i:i + 2] for i in range(0, 40, 2)).upper()
    spaced = ' '.join(h['pub'][i:i + 4] for i in range(0, 40, 4))
    both = f'{PUB};{SUB}'
    back = f'{SUB};{PUB}'
    rows = [
        ('SEP0011AA000001', PUB, both, 'Registered', h['pub'], 'Cisco 8845', 'sip8845_65.14-2-1-0001-14'),
        ('SEP0011AA000002', PUB, both, 'Registered', h['pub'], 'Cisco 8841', 'sip88xx.14-2-1-0001-14'),
        ('SEP0011AA000003', SUB, back, 'Registered', h['sub'], 'Cisco 7841', 'sip78xx.14-2-1-0001-14'),
        ('SEP0011AA000004', SUB, back, 'Registered', colons, 'Cisco 8851', 'sip88xx.14-2-1-0001-14'),
        ('SEP0011AA000005', PUB, PUB, 'Unregistered', h['history-pub'], 'Cisco 7821', 'sip78xx.12-8-1-0001-455'),
        ('SEP0011AA000006', SUB, back, 'Unregistered', h['history-sub'], 'Cisco 8811', 'sip88xx.12-8-1-0001-455'),
        ('SEP0011AA000007', PUB, both, 'Registered', h['foreign'], 'Cisco 8865', 'sip8865.14-1-1-0001-125'),
        ('SEP0011AA000008', SUB, back, 'Unregistered', h['foreign'], 'Cisco 7841', 'sip78xx.14-1-1-0001-125'),
        ('SEP0011AA000009', PUB, both, 'Registered', '', 'Cisco 7942', 'SCCP42.9-4-2SR4-3S'),
        ('SEP0011AA00000A', PUB, both, 'Registered', h['sub'], 'Cisco 8841', 'sip88xx.14-2-1-0001-14'),
        ('SEP0011AA00000B', SUB, back, 'Registered', h['sub'], 'Cisco 8845', 'sip8845_65.14-2-1-0001-14'),
        ('SEP0011AA00000C', PUB, both, 'Unknown', spaced, 'Cisco 7821', 'sip78xx.14-2-1-0001-14'),
    ]
    with open(os.path.join(FOLDER, 'phones.csv'), 'w', newline='') as f:
        f.write('Device Name,Description,Model,TFTP,TVS,Status,ITL Hash,Firmware\r\n')
        for device, tftp, tvs, status, itl_hash, model, firmware in rows:
            description = f'"Desk phone, {device[-2:]}"'
            f.write(f'{device},{description},{model},{tftp},{tvs},{status},{itl_hash},{firmware}\r\n')
    for label, value in h.items():
        print(f'{label:12} {value}')


if __name__ == '__main__':
    main()
