# Interface texts of the settings area, language es. Every id exists in all four languages (i18n.rs tests it).

## Index and shared
settings-title = Ajustes
settings-refused = No permitido
settings-not-found = No encontrado
settings-back = Volver a los ajustes
settings-save = Guardar
settings-saved = Los ajustes se han guardado.
settings-none = (ninguno)
settings-revoke = Revocar
settings-actions = Acciones
settings-prefix = Empieza por
settings-created = Creado
settings-shown-once = Cópielo ahora: solo se muestra esta vez.

## Sections
settings-telephony-title = Telefonía › Automatización
settings-telephony-about = Tareas para llamadas perdidas, leads para llamadas atendidas y perdidas, recuperación y tiempos.
settings-employees-title = Empleados
settings-employees-about = Quién trabaja aquí: extensiones, permisos, contraseñas.
settings-signing-title = Firma de webhooks
settings-signing-about = Firmas en los eventos de llamada que envía su centralita.
settings-tokens-title = Tokens de la API
settings-tokens-about = Los tokens permiten a una centralita o a un script actuar a través de la API con los derechos que les dé.
settings-audit-title = Registro de auditoría
settings-audit-about = Inicios de sesión, cambios de tokens, empleados y ajustes.

## Telephony > Automation (R-U5)
settings-rule-missed_call_task = Tarea por una llamada entrante perdida
settings-rule-answered_call_lead = Lead por una llamada entrante atendida
settings-rule-missed_call_lead = Lead por una llamada entrante perdida
settings-rule-enabled = Regla activa
settings-assignees = Asignar la tarea a
settings-task-mode = Tarea por responsable
settings-task-mode-shared = Una tarea compartida por todos
settings-task-mode-each = Una tarea para cada uno
settings-due-in = Vence tras la llamada perdida
settings-days = Días
settings-hours = Horas
settings-minutes = Minutos
settings-link-order = Vincular la orden de trabajo abierta del cliente
settings-link-lead = Vincular el lead abierto del cliente
settings-lead-type = Tipo de lead
settings-manager = Responsable del lead
settings-notify = Avisar a
settings-even-if-open-order = Aunque el cliente tenga una orden de trabajo abierta
settings-even-if-open-lead = Aunque el cliente tenga un lead abierto
settings-recovery = Llamadas y recuperación
settings-recovery-window-days = Plazo de recuperación (días)
settings-recover-only-answered = Solo una devolución atendida recupera una llamada perdida
settings-inbound-answer-recovers = Una llamada entrante atendida del mismo número también la recupera
settings-reuse-unknown-caller-lead = Reutilizar el lead abierto de un número desconocido
settings-settle-seconds = Esperar antes de actuar sobre una llamada perdida (segundos)
settings-stale-call-hours = Cerrar una llamada sin final tras (horas)
settings-preview = Vista previa
settings-preview-hint = La vista previa muestra lo que estos ajustes habrían hecho con las llamadas de los últimos { $days } días, sin guardar nada.
settings-preview-title = Vista previa
settings-preview-summary = Con estos ajustes, las llamadas de los últimos { $days } días habrían creado { $tasks ->
        [one] { $tasks } tarea
       *[other] { $tasks } tareas
    } y { $leads ->
        [one] { $leads } lead
       *[other] { $leads } leads
    } ({ $calls } llamadas revisadas). No se ha guardado nada.
settings-preview-call = Llamada
settings-preview-call-link = Llamada n.º { $id }
settings-preview-tasks = Tareas
settings-preview-leads = Leads por regla
settings-err-number = Escriba un número entero de { $min } a { $max }.
settings-err-assignees-required = Elija al menos un empleado mientras la regla esté activa.
settings-err-employee = Elija empleados activos de esta empresa, cada uno una vez.
settings-err-lead-type = Elija un tipo de lead de esta empresa; hace falta mientras la regla esté activa.

## Employees
settings-employee-add = Añadir un empleado
settings-employee-add-button = Añadir el empleado
settings-employee-added = El empleado se ha añadido.
settings-employee-saved = El empleado se ha guardado.
settings-employee-password-reset = La contraseña está puesta; las sesiones de ese empleado han terminado.
settings-employee-edit = Empleado { $name }
settings-employee-name = Nombre
settings-employee-email = Correo electrónico
settings-employee-password = Contraseña
settings-employee-extensions = Extensiones
settings-employee-extensions-hint = Extensiones telefónicas o usuarios SIP, separados por comas.
settings-employee-permissions = Permisos
settings-employee-state = Estado
settings-employee-active = Activo
settings-employee-inactive = Desactivado
settings-employee-owner = Propietario (todos los permisos)
settings-employee-reset-title = Restablecer la contraseña
settings-employee-reset-about = Pone una nueva contraseña a este empleado y cierra todas sus sesiones; sus tokens de la API siguen funcionando.
settings-employee-new-password = Nueva contraseña
settings-employee-reset-button = Poner la contraseña
settings-employee-own-password = Cambiar su propia contraseña
settings-err-name = Escriba un nombre (hasta 200 caracteres).
settings-err-extension = Una extensión no es válida: { $problem }

## Webhook signing (R-I1, R-X8)
settings-signing-no-secret = No hay ningún secreto de firma.
settings-signing-has-secret = Hay un secreto de firma.
settings-signing-required = Los eventos sin firma se rechazan.
settings-signing-optional = Los eventos sin firma se aceptan.
settings-signing-require = Rechazar eventos de llamada sin una firma válida
settings-signing-needs-secret = Cree un secreto antes de exigir firmas.
settings-secrets = Secretos
settings-secret-new = Nuevo secreto de firma
settings-secret-create = Crear un secreto
settings-secret-rotate-hint = Para rotarlo: cree un secreto nuevo, póngalo en la centralita y luego revoque el antiguo.
settings-secret-revoked = El secreto se ha revocado.
settings-secret-last = Es el último secreto y las firmas son obligatorias: desactive la firma o añada antes otro secreto.
settings-secret-revoke-label = Revocar el secreto { $prefix }

## API tokens (R-T5)
settings-tokens-empty = Todavía no hay tokens.
settings-token-name = Nombre
settings-token-employee = Empleado
settings-token-used = Último uso
settings-token-never-used = Nunca
settings-token-all-rights = Todos los del empleado
settings-token-revoked-at = Revocado
settings-token-revoked = El token se ha revocado.
settings-token-revoke-label = Revocar el token { $name }
settings-token-create = Nuevo token
settings-token-create-button = Crear el token
settings-token-new = Su nuevo token
settings-err-token-name = Escriba un nombre de 1 a 100 caracteres.

## Audit log
settings-audit-empty = Todavía no hay nada registrado.
settings-audit-at = Cuándo
settings-audit-action = Qué
settings-audit-who = Quién
settings-audit-subject = Objeto
settings-audit-address = Dirección
settings-audit-system = Sistema
settings-audit-token = (token n.º { $id })
settings-audit-pages = Páginas del registro de auditoría
settings-audit-newest = Más recientes
settings-audit-older = Más antiguos

## Numbering, ad campaigns and locations
settings-lists-title = Numeración y listas
settings-lists-about = Plantillas de numeración de leads, órdenes de trabajo y presupuestos; campañas publicitarias y ubicaciones.
settings-numbering-title = Plantillas de numeración
settings-numbering-hint = { "{N}" } o { "{N:5}" } exactamente una vez para la secuencia; { "{YYYY}" }, { "{YY}" }, { "{MM}" }, { "{DD}" } para la fecha; cualquier otro texto tal cual.
settings-numbering-lead = Leads
settings-numbering-order = Órdenes de trabajo
settings-numbering-quote = Presupuestos
settings-err-numbering = Use { "{N}" } (o { "{N:ancho}" }, ancho de 1 a 12) exactamente una vez, solo los marcadores de fecha, 60 caracteres como máximo.
settings-campaigns-title = Campañas publicitarias
settings-locations-title = Ubicaciones
settings-item-name = Nombre
settings-item-add = Añadir
settings-item-added = Añadido.
settings-item-changed = Cambiado.
settings-item-inactive = no se ofrece para leads nuevos
settings-item-activate = Volver a ofrecer
settings-item-deactivate = Dejar de ofrecer
settings-err-item-name = Escriba un nombre de 1 a 100 caracteres.
settings-err-item-taken = Este nombre ya está en la lista.
audit-action-sign-in = Inició sesión
audit-action-sign-out = Cerró sesión
audit-action-password-changed = Contraseña cambiada
audit-action-permissions-changed = Permisos cambiados
audit-action-employee-created = Empleado añadido
audit-action-employee-activated = Empleado activado
audit-action-employee-deactivated = Empleado desactivado
audit-action-settings-changed = Configuración cambiada
audit-action-token-created = Token de API creado
audit-action-token-revoked = Token de API revocado
audit-action-webhook-secret-created = Secreto de firma del webhook creado
audit-action-webhook-secret-revoked = Secreto de firma del webhook revocado
audit-action-contact-changed = Llamada vinculada a otro cliente

## Tipos de lead, estados y reglas de transición de estado (R-M2, R-M6)
settings-lead-types-title = Tipos de lead
settings-lead-types-about = Tipos de leads, el estado en que empieza cada uno y los campos que lleva cada uno.
settings-statuses-title = Estados
settings-statuses-about = Los estados de los leads y de las órdenes de trabajo, y sus grupos.
settings-transfers-title = Reglas de transición de estado
settings-transfers-about = A qué estado puede pasar un lead desde cada estado.
settings-lead-types-hint = Cada lead tiene un tipo. Un lead nuevo empieza en el estado inicial de su tipo y lleva los campos propios del tipo.
settings-lead-types-empty = Aún no hay tipos de lead.
settings-lead-type-initial-status = Estado inicial
settings-lead-type-fields = Campos del formulario
settings-lead-type-new = Nuevo tipo de lead
settings-lead-type-add = Añadir el tipo de lead
settings-lead-type-added = El tipo de lead se ha añadido. Añada aquí sus campos.
settings-lead-type-title = Tipo de lead «{ $name }»
settings-lead-type-fields-hint = Los campos que lleva cada lead de este tipo, además de los habituales. Rellene una fila vacía para añadir un campo; para añadir más de dos, guarde y vuelva a añadir.
settings-field-row = Campo { $n }
settings-field-new = Campo nuevo
settings-field-key = Clave
settings-field-key-hint = Clave: el nombre con el que se guarda el valor, de 1 a 40 letras minúsculas (a–z), dígitos o _, cada clave una sola vez.
settings-field-label = Etiqueta
settings-field-kind = Tipo de campo
settings-field-kind-text = Texto
settings-field-kind-number = Número
settings-field-kind-date = Fecha
settings-field-kind-choice = Elección de una lista
settings-field-kind-yes-no = Sí o no
settings-field-required = Obligatorio
settings-field-options = Opciones (solo para elección)
settings-field-options-hint = Opciones: una por línea, o separadas por comas; solo un campo de elección las tiene.
settings-field-remove = Quitar este campo
settings-err-initial-status = Elija un estado de lead de esta empresa.
settings-err-field-kind = Elija uno de los tipos de campo.
settings-err-field-key = Use de 1 a 40 letras minúsculas (a–z), dígitos o _, y cada clave una sola vez.
settings-err-field-label = Escriba una etiqueta.
settings-err-field-options-needed = Un campo de elección necesita sus opciones.
settings-err-field-options-only-choice = Solo un campo de elección tiene opciones: bórrelas o elija el tipo «Elección de una lista».
settings-statuses-hint = El grupo de un estado decide si sus leads y órdenes de trabajo siguen abiertos. Un estado del sistema conserva su función aunque le cambie el nombre.
settings-lead-statuses = Estados de leads
settings-order-statuses = Estados de órdenes de trabajo
settings-status-group = Grupo
settings-status-rename = Cambiar el nombre
settings-status-rename-label = Nuevo nombre para «{ $name }»
settings-status-system = sistema
settings-status-new-name = Nombre de un estado nuevo
settings-status-add = Añadir el estado
settings-status-added = El estado se ha añadido.
settings-status-renamed = El nombre del estado se ha cambiado.
settings-err-status-group = Elija uno de los grupos.
settings-order-group-new = Nueva
settings-order-group-in-progress = En curso
settings-order-group-closed-success = Cerrada con éxito
settings-order-group-closed-failure = Cerrada sin éxito
settings-transfers-none = No hay reglas: un lead puede pasar de cualquier estado a cualquier otro.
settings-transfers-some = { $statuses ->
        [one] Las salidas de { $statuses } estado están restringidas.
       *[other] Las salidas de { $statuses } estados están restringidas.
    }
settings-transfers-hint-free = Un estado cuya fila no tiene ninguna casilla marcada es libre: sus leads pueden pasar a cualquier estado. Sin ninguna casilla marcada, se permite cualquier cambio de estado.
settings-transfers-hint-restrict = Marque casillas en una fila para que los leads en ese estado solo puedan pasar a los estados marcados; cualquier otro cambio se rechaza con un mensaje. Quedarse en el mismo estado siempre está permitido, así que marcar solo la casilla del propio estado mantiene allí a sus leads.
settings-transfers-hint-system = Los pasos que Ringdesk hace por sí mismo a un estado del sistema no siguen estas reglas: cuando una orden de trabajo se vincula a un lead, y cuando el lead de una llamada perdida se cancela porque al final la llamada se contestó.
settings-transfers-caption = Pasos permitidos: una fila para el estado en que está el lead, una columna para el estado al que pasa.
settings-transfers-from-to = De ↓ a →
settings-transfer-label = De «{ $from }» a «{ $to }»
settings-transfers-save = Guardar las reglas

## Twilio (R-I2, R-X8)
settings-twilio-title = Twilio
settings-twilio-about = Avisos de estado de llamada de su cuenta de Twilio, comprobados por su firma, y llamar con un clic a través de Twilio.
settings-twilio-console = Qué pegar en la consola de Twilio
settings-twilio-callback = URL de avisos de estado de esta empresa
settings-twilio-callback-hint = Configúrela como el webhook "Call status changes" de su número de Twilio (HTTP POST) y como statusCallback en los sustantivos Number, Client y Sip de su Dial, con los eventos initiated, ringing, answered y completed. Debe ser exactamente la URL pública de abajo: Twilio firma la URL completa.
settings-twilio-token-set = Hay un token de autenticación guardado. Deje el campo vacío para conservarlo.
settings-twilio-token-unset = Todavía no hay token de autenticación.
settings-twilio-enabled = Recibir los avisos de estado de llamada de Twilio
settings-twilio-token = Token de autenticación (de su consola de Twilio)
settings-twilio-public-url = URL pública, exactamente como en la consola de Twilio
settings-twilio-public-url-hint = La dirección a la que Twilio envía, vista desde internet (detrás de un proxy, la del proxy).
settings-twilio-account-sid = Account SID (para llamar con un clic)
settings-twilio-caller-id = Identificador de llamada: su número de Twilio desde el que salen las llamadas con un clic
## Asterisk (AMI) connection (R-I3, R-X8)
ami-title = Asterisk (AMI)
ami-about = Conecte la interfaz de gestión de la centralita Asterisk: las llamadas llegan en cuanto ocurren.
ami-enabled = Conectar a la centralita
ami-host = Servidor
ami-port = Puerto
ami-username = Usuario AMI
ami-secret = Secreto
ami-secret-set = Hay un secreto guardado; déjelo vacío para conservarlo
ami-secret-unset = No hay secreto guardado
ami-channel-template = Canal de clic para llamar ({"{"}extension{"}"} se sustituye)
ami-originate-context = Contexto de clic para llamar
ami-internal-contexts = Contextos de sus propios teléfonos (separados por comas)
ami-auth-type = Inicio de sesión
ami-auth-md5 = Desafío MD5
ami-auth-plain = Secreto simple
ami-status-off = Sin conexión (desactivada).
ami-status-connecting = Conectando…
ami-status-connected = Conectada.
ami-status-down = Conexión perdida; reintentando.
ami-status-login-refused = La centralita rechazó el inicio de sesión: revise el usuario y el secreto.
ami-field-invalid = Revise este valor.
ami-needs-secret = Indique el secreto para conectar.
ami-gaps = Huecos
ami-gaps-about = Periodos en que la centralita no estaba accesible: las llamadas que empezaron y terminaron entonces no están en Ringdesk.
ami-no-gaps = Sin huecos.
ami-gap-from = Desde
ami-gap-to = Hasta
calls-ami-gap = Sin datos de la centralita entre { $from } y { $to }.

# Issue 13 item 4: business hours and the callback SLA.
settings-sla = Horario comercial y plazo de devolución
settings-business-hours-hint = Horario por día de la semana en la zona horaria de la empresa, hasta cuatro intervalos por día; un día sin intervalos está cerrado. Un fin a las 00:00 significa el final del día. El plazo de devolución solo cuenta estas horas.
settings-day-mon = Lunes
settings-day-tue = Martes
settings-day-wed = Miércoles
settings-day-thu = Jueves
settings-day-fri = Viernes
settings-day-sat = Sábado
settings-day-sun = Domingo
settings-hours-from = De
settings-hours-to = a
settings-callback-sla-minutes = Devolver una llamada perdida en (minutos hábiles, 0 sin plazo)
settings-service-level-seconds = Nivel de servicio: atendida en (segundos)
settings-err-hours = Indique cada intervalo con dos horas, el final después del inicio, en orden y sin solaparse, cuatro como máximo por día.
