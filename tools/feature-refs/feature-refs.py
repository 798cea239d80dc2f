#!/usr/bin/env python3
"""
Which feature folders refer to which (ADR 0030). A file of Features/A refers to Features/B when it names a type (or
an extension method) declared in Features/B and has B's namespace in scope (its usings, or for .razor the
_Imports.razor files above it), or names it fully qualified. Comments are left out, except doc-comment crefs.
Prints the counts, the pairs of folders that refer to each other (both ways) and what Data/, Components/ and Hosting/
use of feature code.

    tools/feature-refs/feature-refs.py [src/AiLandscape.Web] [-v: the files and names behind each pair] [-d: every A -> B]
"""
import os, re, sys, collections
args = [a for a in sys.argv[1:] if not a.startswith('-')]
root = args[0] if args else 'src/AiLandscape.Web'
feat = os.path.join(root, 'Features')
decl = re.compile(r'\b(?:class|record|struct|enum|interface)\s+(?:struct\s+|class\s+)?([A-Z]\w*)')
def files(d):
    for dp, _, fs in os.walk(d):
        if 'Migrations' in dp: continue
        for f in fs:
            if f.endswith('.cs') or f.endswith('.razor'):
                yield os.path.join(dp, f)
def strip(text):
    """The text without comments (doc-comment crefs kept); strings stay, a // inside one is not a comment."""
    text = re.sub(r'@\*.*?\*@', ' ', text, flags=re.S)  # Razor comments
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            verbatim = i > 0 and text[i - 1] == '@'
            j = i + 1
            while j < n:
                if text[j] == '\\' and not verbatim:
                    j += 2
                    continue
                if text[j] == '"':
                    if verbatim and j + 1 < n and text[j + 1] == '"':
                        j += 2
                        continue
                    break
                if text[j] == '\n' and not verbatim:
                    break
                j += 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' + ' '.join(re.findall(r'cref="([^"]+)"', text[i:j])))
            i = j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            i = n if j < 0 else j + 2
            out.append(' ')
        else:
            out.append(c)
            i += 1
    return ''.join(out)
owner = collections.defaultdict(set)
areas = sorted(d for d in os.listdir(feat) if os.path.isdir(os.path.join(feat, d)))
for a in areas:
    for f in files(os.path.join(feat, a)):
        t = open(f, encoding='utf-8').read()
        if f.endswith('.razor'):
            owner[os.path.basename(f)[:-6]].add(a)
        for m in decl.finditer(strip(t)):
            owner[m.group(1)].add(a)
        # extension methods are used without naming their class
        for m in re.finditer(r'\b([A-Z]\w*)(?:<[^>(]*>)?\(\s*this\s', strip(t)):
            owner[m.group(1)].add(a)
ident = re.compile(r'[A-Za-z_]\w*')
def imports(path):
    """Feature namespaces in scope: the file's usings, and for .razor the _Imports.razor files above it."""
    t = open(path, encoding='utf-8').read()
    scope = set(re.findall(r'using\s+(?:static\s+)?AiLandscape\.Web\.Features\.(\w+)', t))
    if path.endswith('.razor'):
        d = os.path.dirname(path)
        while d.startswith(root):
            imp = os.path.join(d, '_Imports.razor')
            if os.path.exists(imp):
                scope |= set(re.findall(r'using\s+AiLandscape\.Web\.Features\.(\w+)', open(imp).read()))
            d = os.path.dirname(d)
    return scope
def refs_of(path, own):
    t = strip(open(path, encoding='utf-8').read())
    scope = imports(path)
    found = collections.defaultdict(set)
    for m in re.finditer(r'Features\.(\w+)\.(\w+)', t):  # fully qualified use
        if m.group(1) in areas and m.group(1) != own: found[m.group(1)].add(m.group(2))
    for m in ident.finditer(t):
        for b in owner.get(m.group(0), ()):
            if b != own and b in scope: found[b].add(m.group(0))
    return found
edges = collections.defaultdict(lambda: collections.defaultdict(set))
for a in areas:
    for f in files(os.path.join(feat, a)):
        for b, names in refs_of(f, a).items():
            edges[a][b] |= {os.path.relpath(f, feat) + ': ' + ','.join(sorted(names))}
lower = collections.defaultdict(lambda: collections.defaultdict(set))
for layer in ('Data', 'Components', 'Hosting'):
    for f in files(os.path.join(root, layer)):
        for b, names in refs_of(f, None).items():
            lower[layer][b] |= {os.path.relpath(f, root) + ': ' + ','.join(sorted(names))}
directed = sorted((a, b) for a in edges for b in edges[a])
pairs = sorted({tuple(sorted(p)) for p in directed})
mutual = sorted({tuple(sorted(p)) for p in directed if (p[1], p[0]) in directed})
verbose = '-v' in sys.argv
print(f'feature folders: {len(areas)}')
print(f'directed references (A uses B): {len(directed)}')
print(f'pairs of folders with a reference either way: {len(pairs)}')
print(f'pairs that refer to each other (both ways): {len(mutual)}')
for a, b in mutual:
    print(f'  {a} <-> {b}')
    if verbose:
        for x in sorted(edges[a][b]) + sorted(edges[b][a]): print('      ' + x)
if '-d' in sys.argv:
    for a, b in directed:
        print(f'  {a} -> {b}')
        if verbose:
            for x in sorted(edges[a][b]): print('      ' + x)
print('lower layers using feature code:')
for layer in lower:
    for b in sorted(lower[layer]):
        print(f'  {layer} -> {b}')
        for x in sorted(lower[layer][b]): print('      ' + x)
