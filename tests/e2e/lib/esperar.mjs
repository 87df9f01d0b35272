// Waiting for conditions (never fixed sleeps as assertions) and plain
// assertions with readable messages.

/** Polls `condicao` (sync or async) until it returns a truthy value. */
export async function esperar(condicao, { limiteMs = 5000, intervaloMs = 50, mensagem = 'condição' } = {}) {
  const limite = Date.now() + limiteMs;
  let ultimo;
  for (;;) {
    try {
      ultimo = await condicao();
      if (ultimo) return ultimo;
    } catch (erro) {
      ultimo = erro;
    }
    if (Date.now() > limite) {
      throw new Error(`esperou ${limiteMs} ms por: ${mensagem} (último valor: ${ultimo instanceof Error ? ultimo.message : JSON.stringify(ultimo)})`);
    }
    await new Promise((r) => setTimeout(r, intervaloMs));
  }
}

export function afirmar(condicao, mensagem) {
  if (!condicao) throw new Error(`falhou: ${mensagem}`);
}

export function iguais(obtido, esperado, mensagem) {
  const a = JSON.stringify(obtido);
  const b = JSON.stringify(esperado);
  if (a !== b) throw new Error(`falhou: ${mensagem}\n    obtido:   ${a}\n    esperado: ${b}`);
}
