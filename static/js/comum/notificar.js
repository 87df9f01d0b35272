// Browser notifications, shared by the room page (new messages in a hidden
// tab) and the room list (mentions): show one if the user allowed it, and a
// bell button that asks (browsers only allow asking after a click).

/** Shows a Notification if allowed; a click on it focuses the tab. */
export function notificar(titulo, corpo, tag) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  const aviso = new Notification(titulo, {
    body: corpo.length > 140 ? `${corpo.slice(0, 139)}…` : corpo,
    tag,
    renotify: true,
  });
  aviso.onclick = () => {
    window.focus();
    aviso.close();
  };
}

/** Shows `botao` while permission is undecided; a click asks for it. */
export function prepararBotaoDePermissao(botao) {
  if (!botao || !('Notification' in window) || Notification.permission !== 'default') return;
  botao.classList.remove('d-none');
  botao.addEventListener('click', async () => {
    const permissao = await Notification.requestPermission();
    if (permissao !== 'default') botao.classList.add('d-none');
  });
}
