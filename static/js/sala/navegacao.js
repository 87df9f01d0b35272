// Keyboard reach of the message actions: the message area is one Tab stop
// (sala.mustache, tabindex=0); in it Up/Down (Home/End) move from message
// to message, and only the message holding the focus has its action and
// reaction buttons in the Tab order, so Tab does not walk through three
// buttons of every message on its way to the message box.

const BOTOES = ':scope > .papo-acoes button, :scope > .papo-reacoes button';

function tabular(li, valor) {
  for (const botao of li.querySelectorAll(BOTOES)) botao.tabIndex = valor;
}

export function navegarPorTeclado(caixa, lista) {
  caixa.addEventListener('keydown', (evento) => {
    const atual = evento.target.closest('li[data-id]');
    // Only from the area itself or a message, not from its buttons or editor.
    if (evento.target !== caixa && evento.target !== atual) return;
    const itens = [...lista.querySelectorAll('li[data-id]')];
    if (!itens.length) return;
    const i = atual ? itens.indexOf(atual) : itens.length;
    const destino = {
      ArrowUp: itens[Math.max(0, i - 1)],
      ArrowDown: atual ? itens[Math.min(itens.length - 1, i + 1)] : null,
      Home: itens[0],
      End: itens[itens.length - 1],
    }[evento.key];
    if (!destino) return;
    evento.preventDefault();
    destino.focus();
  });
  lista.addEventListener('focusin', (evento) => {
    const li = evento.target.closest('li[data-id]');
    if (li) tabular(li, 0);
  });
  lista.addEventListener('focusout', (evento) => {
    const li = evento.target.closest('li[data-id]');
    if (li && !li.contains(evento.relatedTarget)) tabular(li, -1);
  });
}
