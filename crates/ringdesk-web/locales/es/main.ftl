# Textos de la interfaz de Ringdesk, español.

app-name = Ringdesk
skip-to-content = Saltar al contenido

## Sign-in
sign-in-title = Iniciar sesión en Ringdesk
email = Correo electrónico
password = Contraseña
sign-in-button = Iniciar sesión
wrong-email-or-password = Correo electrónico o contraseña incorrectos.
too-many-attempts = Demasiados intentos fallidos. Vuelva a intentarlo dentro de { $minutes } min.
form-unreadable = No se pudo leer el formulario; envíelo de nuevo.
no-account-yet = ¿Aún no tiene cuenta?
sign-up-link = Registre su empresa

## Sign-up
sign-up-title = Registre su empresa
sign-up-closed = El registro está cerrado en esta instalación. Pida una cuenta al administrador o inicie sesión.
have-account = ¿Ya tiene cuenta?
sign-in-link = Iniciar sesión
company-name = Nombre de la empresa
country = País
time-zone = Zona horaria
locale = Idioma
owner-name = Su nombre
sign-up-button = Crear la empresa
choose = Elija…
field-company_name = Escriba el nombre de la empresa (hasta 200 caracteres).
field-country = Elija el país al que pertenecen los números de teléfono de la empresa.
field-time_zone = Elija una zona horaria de la lista (por ejemplo Europe/Madrid).
field-locale = Elija uno de los cuatro idiomas.
field-owner_name = Escriba su nombre (hasta 200 caracteres).
field-email = Escriba una dirección de correo electrónico válida.
field-email-taken = Esta dirección de correo electrónico ya tiene una cuenta.
field-password = La contraseña debe tener entre 8 y 1000 caracteres.
field-current_password = Esta no es su contraseña actual.
field-new_password = La nueva contraseña debe tener entre 8 y 1000 caracteres.
form-has-errors = Algunos campos necesitan atención; vea las notas junto a ellos.

## Layout and navigation
nav-label = Principal
nav-home = Inicio
nav-tasks = Tareas
nav-password = Contraseña
sign-out = Cerrar sesión
signed-out = Ha cerrado la sesión.
language = Idioma
language-change = Cambiar
signed-in-as = Sesión iniciada como
company = Empresa
your-permissions = Sus permisos

## Permissions
permission-view_clients = Ver clientes
permission-manage_settings = Gestionar la configuración
permission-view_all_calls = Ver todas las llamadas
permission-manage_employees = Gestionar empleados
permission-post_call_events = Enviar eventos de llamadas

## Password change
password-title = Cambiar su contraseña
current-password = Contraseña actual
new-password = Nueva contraseña
password-button = Cambiar la contraseña
password-changed = Su contraseña ha cambiado. Se han cerrado sus otras sesiones.

## Tasks
tasks-title = Mis tareas
tasks-empty = No tiene tareas.
task-title = Tarea
task-due = Vence
task-status = Estado
task-actions = Acciones
task-overdue = vencida
task-no-due = sin fecha límite
task-complete = Completar
task-reopen = Reabrir
task-status-open = Abierta
task-status-done = Hecha
task-status-cancelled = Cancelada
task-not-assignee = Solo un responsable puede completar esta tarea.
task-not-open = Esta tarea ya no está abierta.
task-already-open = Esta tarea ya está abierta.
task-completed = La tarea está hecha.
task-reopened = La tarea vuelve a estar abierta.

## Navigation, home ("what needs me now"), first-run checklist, notifications
nav-calls = Llamadas
nav-clients = Clientes
nav-leads = Clientes potenciales
nav-orders = Órdenes de trabajo
nav-quotes = Presupuestos
nav-notifications = Notificaciones
nav-settings = Configuración
badge-overdue = Vencido
badge-urgent = Urgente
home-tasks = Mis tareas abiertas
home-tasks-none = No hay tareas abiertas.
home-missed-none = Nadie espera que le devuelvan la llamada.
home-leads = Mis nuevos clientes potenciales
home-leads-none = No hay clientes potenciales nuevos.
home-notifications = Notificaciones sin leer
home-notifications-none = Nada sin leer.
first-run-title = Primeros pasos
first-run-employees = Añada empleados y sus extensiones
first-run-phone-system = Conecte la centralita
first-run-automation = Active la automatización
first-run-clients = Añada o importe clientes
first-run-done = (hecho)
first-run-todo = (pendiente)
first-run-webhook = Su centralita envía cada evento de llamada a esta dirección, con un token de API que puede publicar eventos de llamadas.
first-run-webhook-url = URL del webhook
first-run-make-token = Crear un token para la centralita
first-run-token = Token de API
first-run-token-once = Copie el token ahora: solo se muestra esta vez.
first-run-curl = Pruébelo con curl
notification-mark-read = Marcar como leída
notification-mark-read-of = Marcar como leída: { $title }
notifications-title = Notificaciones
notifications-empty = Todavía no hay notificaciones.
notifications-unread = Sin leer
notifications-read = Leída
notifications-when = Cuándo
notifications-what = Qué
notifications-state = Estado
notifications-choices = Qué notificaciones recibo
notify-new-lead = Un nuevo cliente potencial para mí
notify-lead-assigned = Un cliente potencial asignado a mí
notify-lead-overdue = Mi cliente potencial está vencido
notifications-save = Guardar mis preferencias
notifications-saved = Sus preferencias se han guardado.
notification-was-read = Marcada como leída.

# The missed calls widget (R-U3) and recent calls (R-C8).
home-missed = Llamadas perdidas
home-missed-none-at-all = Ninguna llamada perdida.
home-missed-without-recovered = Sin las devueltas
home-missed-recovered = Devuelta
home-missed-waiting = Esperando la devolución
home-recent = Mis llamadas recientes
home-recent-none = Aún no ha atendido ni hecho ninguna llamada.
home-recent-talked = Completada
home-recent-not-reached = Sin contacto
